import { type Context, Hono } from 'hono';
import type { RenderRecord } from '../durable/renders.ts';
import { userStub } from '../durable/user-stub.ts';
import type { AppEnv } from '../lib/app-env.ts';
import type { RouteDoc } from '../lib/openapi-registry.ts';
import { serveObject } from '../lib/serve-object.ts';
import { publicOrigin, signBlobUrl } from '../lib/signing.ts';
import { posterSize } from '../render/poster-size.ts';
import { downloadTtlS } from '../render/render-keys.ts';
import { userIdFromShareId } from '../render/share-id.ts';
import { goneSharePage, missingSharePage, sharePage } from '../render/share-page.ts';

/** `GET /s/:share_id`: public (no auth) page of a finished render; 410 once the render expired. */
export const share = new Hono<AppEnv>();

const html = (body: string, status: 200 | 404 | 410, cache: string) =>
  new Response(body, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': cache, 'x-robots-tag': 'noindex' },
  });

/** The render behind a share id, or why there is none to show (unknown, or expired and its files gone). */
async function sharedRender(env: Env, shareId: string, nowMs: number) {
  const userId = await userIdFromShareId(env.SIGNING_SECRET, shareId);
  const r = userId ? await userStub(env, userId).getSharedRender(shareId) : null;
  if (!userId || !r || r.status !== 'done') return { state: 'missing' as const };
  // Expired renders keep their row (their files are deleted), so the link says "expired", not "unknown".
  if (r.expires_at === null || r.expires_at <= nowMs || !r.out_key) return { state: 'gone' as const };
  return { state: 'ok' as const, userId, r: { ...r, out_key: r.out_key, expires_at: r.expires_at } };
}

share.get('/:share_id', async (c) => {
  const shareId = c.req.param('share_id');
  const now = Date.now();
  const found = await sharedRender(c.env, shareId, now);
  if (found.state === 'missing') return html(missingSharePage(), 404, 'no-store');
  if (found.state === 'gone') return html(goneSharePage(), 410, 'no-store');
  const { r, userId } = found;
  // The page's description and language come from the session; a deleted session leaves the defaults.
  const session = await userStub(c.env, userId)
    .getSession(r.session_id)
    .catch(() => null);
  const origin = publicOrigin(c.env, c.req.url);
  const ttl = downloadTtlS(r.expires_at, now);
  const sign = (key: string) => signBlobUrl(c.env.SIGNING_SECRET, origin, key, 'GET', ttl, now);
  const videoUrl = await sign(r.out_key);
  const project = session?.task_name.trim();
  const page = sharePage(
    {
      title: r.title,
      project: project && project !== 'project' && project !== r.title ? project : null,
      language: session?.language ?? 'en',
      pageUrl: `${origin}/s/${shareId}`,
      videoUrl,
      streamUrl: `${origin}/s/${shareId}/video.mp4`,
      downloadUrl: videoUrl,
      width: r.width,
      height: r.height,
      durationMs: r.duration_ms,
      expiresAt: r.expires_at,
      captionsVttUrl: r.vtt_key ? await sign(r.vtt_key) : null,
      // A stable, unsigned URL: unfurlers fetch and cache the image long after a signed URL would expire.
      poster: r.poster_key ? { url: `${origin}/s/${shareId}/poster.jpg`, ...posterSize(r.width, r.height) } : null,
    },
    now,
  );
  // The page embeds signed URLs, so caches may keep it only briefly.
  return html(page, 200, 'private, max-age=300');
});

/**
 * The share page's files at stable, public URLs, for as long as the page lives: unfurlers (chat
 * apps, social sites) fetch and cache `og:image` and `og:video` long after a signed URL expires.
 * The share id is the capability, as for the page itself. The video answers Range requests.
 */
const sharedFile = (pick: (r: RenderRecord) => string | null) => async (c: Context<AppEnv>) => {
  const found = await sharedRender(c.env, c.req.param('share_id') ?? '', Date.now());
  const key = found.state === 'ok' ? pick(found.r) : null;
  if (!key) return html(missingSharePage(), found.state === 'gone' ? 410 : 404, 'no-store');
  const res = await serveObject(c.env.MEDIA, key, c.req.raw);
  res.headers.set('cache-control', 'public, max-age=3600');
  res.headers.set('x-robots-tag', 'noindex');
  return res;
};
share.on(
  ['GET', 'HEAD'],
  '/:share_id/poster.jpg',
  sharedFile((r) => r.poster_key),
);
share.on(
  ['GET', 'HEAD'],
  '/:share_id/video.mp4',
  sharedFile((r) => r.out_key),
);

export const shareDocs: RouteDoc[] = [
  {
    method: 'head',
    path: '/s/{share_id}/poster.jpg',
    operationId: 'headSharePoster',
    summary: "Size and type of a shared render's poster; 410 after expiry",
    empty: true,
    tags: ['render'],
  },
  {
    method: 'head',
    path: '/s/{share_id}/video.mp4',
    operationId: 'headShareVideo',
    summary: "Size and type of a shared render's video; 410 after expiry",
    empty: true,
    tags: ['render'],
  },
  {
    method: 'get',
    path: '/s/{share_id}',
    operationId: 'getSharePage',
    summary: 'Public share page of a finished render (HTML, Open Graph tags, player, download); 410 after expiry',
    produces: 'text/html',
    tags: ['render'],
  },
  {
    method: 'get',
    path: '/s/{share_id}/poster.jpg',
    operationId: 'getSharePoster',
    summary: 'Poster of a shared render (JPEG, a representative frame; og:image of the share page); 410 after expiry',
    produces: 'image/jpeg',
    tags: ['render'],
  },
  {
    method: 'get',
    path: '/s/{share_id}/video.mp4',
    operationId: 'getShareVideo',
    summary: 'The shared MP4 at a stable public URL (og:video of the share page; Range supported); 410 after expiry',
    produces: 'video/mp4',
    tags: ['render'],
  },
];
