import { type Draft, TrackType } from '../draft/schema.ts';
import { renderPrefix } from '../lib/storage-keys.ts';

/** What a RenderWorkflow instance is started with (src/render/start-render.ts). */
export interface RenderParams {
  userId: string;
  renderId: string;
  /** Public origin at request time: signed URLs and share links point here. */
  origin: string;
}

export function renderKeys(userId: string, renderId: string, captions: boolean) {
  const p = renderPrefix(userId, renderId);
  return {
    out: `${p}out.mp4`,
    srt: captions ? `${p}captions.srt` : null,
    vtt: captions ? `${p}captions.vtt` : null,
    poster: `${p}poster.jpg`,
  };
}

export const hasCaptions = (draft: Draft) =>
  draft.t.some((t) => t.tt === TrackType.text && t.m.kind === 'caption' && t.sg.length > 0);

/** Signed download links live at most this long, and never past the render's expiry. */
export const DOWNLOAD_URL_TTL_S = 6 * 3600;
export function downloadTtlS(expiresAtMs: number | null, nowMs = Date.now()): number {
  const left = expiresAtMs === null ? DOWNLOAD_URL_TTL_S : Math.floor((expiresAtMs - nowMs) / 1000);
  return Math.max(1, Math.min(DOWNLOAD_URL_TTL_S, left));
}
