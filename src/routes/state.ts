import { Hono } from 'hono';
import { isAnalysed } from '../agent/analysis.ts';
import { publicMedia } from '../durable/media.ts';
import type { AppEnv } from '../lib/app-env.ts';
import { ok } from '../lib/envelope.ts';
import type { RouteDoc } from '../lib/openapi-registry.ts';
import { publicOrigin } from '../lib/signing.ts';
import { generatedMedia } from '../render/status.ts';
import { StateData } from './api-schemas.ts';
import { requireAuth } from './require-auth.ts';

export const state = new Hono<AppEnv>();
state.use('*', requireAuth);

state.get('/nemo_agent/me/:sid/latest', async (c) => {
  const sid = c.req.param('sid');
  const [{ draft, version }, media, session] = await Promise.all([
    c.var.user.getDraft(sid),
    c.var.user.listMedia(sid),
    c.var.user.getSession(sid),
  ]);
  // generated_media lists the session's finished renders (filled in by the render module).
  const generated = await generatedMedia(
    c.env,
    publicOrigin(c.env, c.req.url),
    await c.var.user.listSessionRenders(sid, 'done'),
  );
  // analysis_ready: the agent knows where it keeps the words; the route only asks.
  const ready = await Promise.all(media.map((m) => m.kind !== 'image' && isAnalysed(c.env, m, session.language)));
  const videoInfos = media.map((m, i) => ({ ...publicMedia(m), analysis_ready: ready[i] }));
  return ok(c, { draft, draft_version: version, video_infos: videoInfos, generated_media: generated });
});

export const stateDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/state/nemo_agent/me/{sid}/latest',
    operationId: 'getLatestState',
    data: StateData,
    summary:
      'The session draft, its media (with analysis_ready: speech analysis cached) and its finished renders (generated_media)',
    auth: true,
    tags: ['sessions'],
  },
];
