import { Hono } from 'hono';
import { z } from 'zod';
import { DraftSchema } from '../draft/schema.ts';
import type { AppEnv } from '../lib/app-env.ts';
import { ok } from '../lib/envelope.ts';
import { AppError, ErrorCode } from '../lib/errors.ts';
import type { RouteDoc, WebhookDoc } from '../lib/openapi-registry.ts';
import { outboundProblem, outboundRefused } from '../lib/outbound-url.ts';
import { publicOrigin } from '../lib/signing.ts';
import { parseJson } from '../lib/validate.ts';
import { cancelRender, getRenderStatus, RenderId, RenderOutput, startRender } from '../render/start-render.ts';
import { RenderStatusView, RenderWebhookBody } from '../render/status-schema.ts';
import { requireAuth } from './require-auth.ts';

export const RenderBody = z.object({
  id: RenderId,
  sessionId: z.string().min(1),
  draft: DraftSchema,
  output: RenderOutput,
  webhook_url: z
    .string()
    .url()
    .regex(/^https?:\/\//, 'webhook_url must be http(s)')
    .nullish(),
});

export const RenderStarted = z.object({
  render_id: z.string(),
  status: z.enum(['queued', 'rendering', 'done', 'failed']),
});

export const render = new Hono<AppEnv>();
render.use('*', requireAuth);

render.post('/', async (c) => {
  const body = await parseJson(c, RenderBody);
  // Refused now, before any credit moves, when the address is not public (sendWebhook checks again, hop by hop).
  if (body.webhook_url && c.env.ALLOW_PRIVATE_OUTBOUND !== '1' && outboundProblem(new URL(body.webhook_url))) {
    throw new AppError(ErrorCode.BAD_REQUEST, `Invalid body: field \`webhook_url\`: ${outboundRefused('webhook_url')}`);
  }
  const started = await startRender(c.env, c.var.userId, publicOrigin(c.env, c.req.url), {
    id: body.id,
    sessionId: body.sessionId,
    draft: body.draft,
    output: body.output,
    webhookUrl: body.webhook_url ?? null,
  });
  return ok(c, { render_id: started.render_id, status: started.status });
});

render.get('/:render_id', async (c) =>
  ok(c, await getRenderStatus(c.env, c.var.userId, publicOrigin(c.env, c.req.url), c.req.param('render_id'))),
);

render.delete('/:render_id', async (c) =>
  ok(c, await cancelRender(c.env, c.var.userId, publicOrigin(c.env, c.req.url), c.req.param('render_id'))),
);

export const renderDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/render/proxy/lambda',
    operationId: 'startRender',
    summary:
      'Start a render (idempotent on id per user); its cost is frozen now, spent on success, returned on failure',
    auth: true,
    body: RenderBody,
    data: RenderStarted,
    tags: ['render'],
  },
  {
    method: 'get',
    path: '/api/render/proxy/lambda/{render_id}',
    operationId: 'getRender',
    summary: 'Poll a render: status, progress, download and share links when done (404 for unknown ids)',
    auth: true,
    data: RenderStatusView,
    tags: ['render'],
  },
  {
    method: 'delete',
    path: '/api/render/proxy/lambda/{render_id}',
    operationId: 'cancelRender',
    summary: 'Cancel an unfinished render: its frozen credits come back; a finished render is left as it is',
    auth: true,
    data: RenderStatusView,
    tags: ['render'],
  },
];

export const renderWebhooks: WebhookDoc[] = [
  {
    name: 'renderFinished',
    summary: "POSTed once to a render's webhook_url when it is done or failed (docs/rendering.md#webhook)",
    body: RenderWebhookBody,
    headers: [
      {
        name: 'X-Signature',
        required: true,
        description: 'hex HMAC-SHA256 of the exact body with SIGNING_SECRET: verify it before trusting the body',
      },
      { name: 'X-Render-Id', required: true, description: 'the render id' },
    ],
  },
];
