/**
 * The preview player: asks for the 360p proxy render of the current draft (POST /api/preview/:sid,
 * cached per draft version) and plays it as soon as it is ready, sized to the draft's shape.
 */
import type { PreviewView } from '../../src/render/preview-view.ts';
import { ApiError, api } from './api.ts';
import { $ } from './dom.ts';
import { t } from './i18n.ts';

let generation = 0;

/** Shows the preview of the session's current draft; a newer call (a newer turn) supersedes an older one. */
export async function refreshPreview(sid: string, hasVideo: boolean): Promise<void> {
  const mine = ++generation;
  const status = $('preview-status');
  const video = $<HTMLVideoElement>('preview');
  // No cut yet, or its first preview still rendering: no empty player, only the status line.
  $('preview-box').hidden = !hasVideo || !video.dataset.file;
  if (!hasVideo) {
    video.removeAttribute('src');
    video.removeAttribute('poster');
    delete video.dataset.file;
    video.load();
    status.textContent = t.previewIdle;
    return;
  }
  for (;;) {
    let v: PreviewView;
    try {
      v = await api<PreviewView>(`/api/preview/${encodeURIComponent(sid)}`, { method: 'POST' });
    } catch (err) {
      if (mine !== generation) return;
      status.textContent = t.previewFailed(err instanceof ApiError ? err.message : String(err));
      // Too many previews of other projects at once: this one's turn comes in a few seconds.
      if (err instanceof ApiError && err.code === 429) {
        await new Promise((r) => setTimeout(r, 5000));
        continue;
      }
      return;
    }
    if (mine !== generation) return;
    $('preview-box').style.aspectRatio = `${v.width} / ${v.height}`;
    if (v.status === 'done' && v.url) {
      status.textContent = t.previewReady(v.draft_version);
      // The file, not the version number, says whether it changed: after an undo, a new edit reuses the number.
      const file = new URL(v.url, location.href).pathname;
      if (video.dataset.file !== file) {
        video.dataset.file = file;
        if (v.poster_url) video.poster = v.poster_url;
        else video.removeAttribute('poster');
        video.src = v.url;
      }
      $('preview-box').hidden = false;
      return;
    }
    if (v.status === 'failed') {
      status.textContent = t.previewFailed(v.error ?? '');
      return;
    }
    status.textContent = t.previewRendering(Math.round(v.progress * 100));
    await new Promise((r) => setTimeout(r, 700));
  }
}
