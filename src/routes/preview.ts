import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../lib/app-env.ts';
import { ok } from '../lib/envelope.ts';
import type { RouteDoc } from '../lib/openapi-registry.ts';
import { publicOrigin } from '../lib/signing.ts';
import { parseWith } from '../lib/validate.ts';
import { ensurePreview } from '../render/preview.ts';
import { requireAuth } from './require-auth.ts';

/**
 * `POST /api/preview/:sid`: start-or-poll the 360p proxy preview of the session's current draft
 * (src/render/preview.ts). POST because the first call starts a render; calling again polls it.
 */
export const preview = new Hono<AppEnv>();
preview.use('*', requireAuth);

const SessionId = z.string().min(1).max(128);

preview.post('/:sid', async (c) => {
  const sid = parseWith(SessionId, c.req.param('sid'), 'sid');
  return ok(c, await ensurePreview(c.env, c.var.user, c.var.userId, sid, publicOrigin(c.env, c.req.url)));
});

export const previewDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/preview/{sid}',
    operationId: 'startPreview',
    summary:
      'Start or poll a quick 360p preview render of the current draft (no credits; cached per draft version): {draft_version, status, progress, width, height, url?, poster_url?, error?}',
    auth: true,
    tags: ['render'],
  },
];
