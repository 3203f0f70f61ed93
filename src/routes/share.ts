import { Hono } from 'hono';
import type { AppEnv } from '../lib/app-env.ts';
import type { RouteDoc } from '../lib/openapi-registry.ts';
import { publicOrigin, signBlobUrl } from '../lib/signing.ts';
import { userStub } from '../lib/user-stub.ts';
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

share.get('/:share_id', async (c) => {
  const shareId = c.req.param('share_id');
  const userId = await userIdFromShareId(c.env.SIGNING_SECRET, shareId);
  const r = userId ? await userStub(c.env, userId).getSharedRender(shareId) : null;
  if (!userId || !r || r.status !== 'done') return html(missingSharePage(), 404, 'no-store');
  const now = Date.now();
  // Expired renders keep their row (their files are deleted), so the link says "expired", not "unknown".
  if (r.expires_at === null || r.expires_at <= now || !r.out_key) return html(goneSharePage(), 410, 'no-store');
  const origin = publicOrigin(c.env, c.req.url);
  const ttl = downloadTtlS(r.expires_at, now);
  const sign = (key: string) => signBlobUrl(c.env.SIGNING_SECRET, origin, key, 'GET', ttl, now);
  const videoUrl = await sign(r.out_key);
  const page = sharePage({
    title: r.title,
    pageUrl: `${origin}/s/${shareId}`,
    videoUrl,
    downloadUrl: videoUrl,
    width: r.width,
    height: r.height,
    durationMs: r.duration_ms,
    expiresAt: r.expires_at,
    captionsVttUrl: r.vtt_key ? await sign(r.vtt_key) : null,
  });
  // The page embeds signed URLs, so caches may keep it only briefly.
  return html(page, 200, 'private, max-age=300');
});

export const shareDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/s/{share_id}',
    operationId: 'getSharePage',
    summary: 'Public share page of a finished render (HTML, Open Graph tags, player, download); 410 after expiry',
    produces: 'text/html',
    tags: ['render'],
  },
];
