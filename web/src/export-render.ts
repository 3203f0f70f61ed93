/**
 * Export: renders the current draft through the render API (credits frozen, then spent), shows
 * its progress until done, then offers the download and the share link.
 */
import type { RenderStatusView } from '../../src/render/status-schema.ts';
import { ApiError, api, type ExportInfo, type SessionState } from './api.ts';
import { $, h, toast } from './dom.ts';
import { lang, t } from './i18n.ts';

/** The poll answer: the service's own render-status schema (a type-only import, nothing bundled). */
type RenderPoll = RenderStatusView;

export async function exportDraft(sid: string, onDone: () => void): Promise<void> {
  const button = $<HTMLButtonElement>('export');
  const bar = $<HTMLProgressElement>('export-bar');
  const text = $('export-text');
  button.disabled = true;
  $('export-result').hidden = true;
  $('export-progress').hidden = false;
  bar.value = 0;
  text.textContent = t.rendering(0);
  try {
    const state = await api<SessionState>(`/api/state/nemo_agent/me/${encodeURIComponent(sid)}/latest`);
    const id = `web_${Date.now()}`;
    await api('/api/render/proxy/lambda', {
      method: 'POST',
      json: { id, sessionId: sid, draft: state.draft, output: { format: 'mp4', quality: 'high' } },
    });
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      const p = await api<RenderPoll>(`/api/render/proxy/lambda/${id}`);
      bar.value = p.progress;
      text.textContent = t.rendering(Math.round(p.progress * 100));
      if (p.status === 'failed') throw new ApiError(500, p.error ?? 'failed', null);
      if (p.status === 'done') {
        text.textContent = t.renderDone;
        showResult(p);
        return;
      }
    }
  } catch (err) {
    const e = err instanceof ApiError ? err : null;
    text.textContent = t.renderFailed(e?.message ?? String(err));
    if (e?.data?.bind_url) toast(`${t.register}: ${String(e.data.bind_url)}`);
  } finally {
    button.disabled = false;
    onDone();
  }
}

function showResult(p: RenderPoll): void {
  const download = $<HTMLAnchorElement>('download');
  download.href = p.url ?? '';
  download.download = `${p.render_id}.mp4`;
  $<HTMLInputElement>('share-url').value = p.share_url ?? '';
  $<HTMLAnchorElement>('open-share').href = p.share_url ?? '';
  $('export-result').hidden = false;
}

export async function copyShareLink(): Promise<void> {
  const input = $<HTMLInputElement>('share-url');
  try {
    await navigator.clipboard.writeText(input.value);
    toast(t.copied);
  } catch {
    // Clipboard access needs a secure context and permission; selecting lets the user copy by hand.
    input.select();
    toast(t.copyFailed);
  }
}

/** The project's finished exports, newest first: poster, date, download and share page. */
export function renderExports(list: ExportInfo[]): void {
  const items = [...list].reverse().filter((e) => e.url);
  $('exports').replaceChildren(
    ...items.map((e) => {
      const when = new Date(e.created_at).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en');
      const thumb = e.poster_url
        ? h('img', { src: e.poster_url, alt: '', width: '48', height: String(Math.round((48 * e.height) / e.width)) })
        : h('span', { class: 'thumb' });
      const links = [h('a', { href: e.url!, download: `${e.render_id}.mp4` }, t.download)];
      if (e.share_url) links.push(h('a', { href: e.share_url, target: '_blank', rel: 'noopener' }, t.openShare));
      return h('li', { 'data-render': e.render_id }, thumb, h('span', { class: 'muted' }, when), ...links);
    }),
  );
}
