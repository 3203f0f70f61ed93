import type { RenderRecord } from '../durable/renders.ts';
import { signBlobUrl } from '../lib/signing.ts';
import { downloadTtlS } from './render-keys.ts';
import type { GeneratedMedia, RenderStatusView } from './status-schema.ts';

export type { RenderStatusView } from './status-schema.ts';

export const shareUrl = (origin: string, shareId: string) => `${origin.replace(/\/$/, '')}/s/${shareId}`;

export async function renderStatusView(
  env: Env,
  origin: string,
  r: RenderRecord,
  nowMs = Date.now(),
): Promise<RenderStatusView> {
  const view: RenderStatusView = {
    render_id: r.render_id,
    status: r.status,
    progress: r.status === 'done' ? 1 : r.progress,
    created_at: r.created_at,
  };
  if (r.error) view.error = r.error;
  if (r.status !== 'done' || !r.out_key) return view;
  view.expires_at = r.expires_at ?? undefined;
  view.duration_ms = r.duration_ms ?? undefined;
  view.size = r.size ?? undefined;
  if (r.share_id) view.share_url = shareUrl(origin, r.share_id);
  if (r.expires_at !== null && r.expires_at <= nowMs) return view;
  const ttl = downloadTtlS(r.expires_at, nowMs);
  const sign = (key: string) => signBlobUrl(env.SIGNING_SECRET, origin, key, 'GET', ttl, nowMs);
  view.url = await sign(r.out_key);
  if (r.poster_key) view.poster_url = await sign(r.poster_key);
  if (r.srt_key || r.vtt_key) {
    view.captions = {};
    if (r.srt_key) view.captions.srt = await sign(r.srt_key);
    if (r.vtt_key) view.captions.vtt = await sign(r.vtt_key);
  }
  return view;
}

/** The session's finished renders as `generated_media` of the state endpoint (newest last). */
export async function generatedMedia(env: Env, origin: string, renders: RenderRecord[]): Promise<GeneratedMedia[]> {
  const done = renders.filter((r) => r.status === 'done');
  return Promise.all(
    done.map(async (r) => ({
      ...(await renderStatusView(env, origin, r)),
      kind: 'video' as const,
      title: r.title,
      width: r.width,
      height: r.height,
    })),
  );
}
