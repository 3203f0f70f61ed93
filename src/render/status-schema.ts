/**
 * THE render-status shape (docs/api.md), one zod schema for every place it appears: the poll and
 * cancel answers (routes/render.ts, built by status.ts), the state endpoint's `generated_media`,
 * the webhook body (pipeline.ts) and the OpenAPI document; the CLI and tests read its type. zod
 * only, no Worker types, so the Node side (cli/, test/node) can import it.
 */
import { z } from 'zod';

export const RenderState = z.enum(['queued', 'rendering', 'done', 'failed']);

/** A render as polled (GET /api/render/proxy/lambda/{render_id}), cancelled, and sent to the webhook. */
export const RenderStatusView = z.object({
  render_id: z.string(),
  status: RenderState,
  progress: z.number().min(0).max(1),
  url: z.string().optional().describe('signed, expiring download URL (Range supported)'),
  share_url: z.string().optional(),
  poster_url: z.string().optional().describe('signed URL of the poster frame (JPEG), when one was made'),
  expires_at: z.number().optional().describe('unix ms'),
  error: z.string().optional(),
  captions: z.object({ srt: z.string().optional(), vtt: z.string().optional() }).optional(),
  duration_ms: z.number().optional(),
  size: z.number().optional(),
  created_at: z.number().describe('unix ms'),
});
export type RenderStatusView = z.infer<typeof RenderStatusView>;

/** A finished render as the state endpoint lists it in `generated_media`. */
export const GeneratedMedia = RenderStatusView.extend({
  kind: z.literal('video'),
  title: z.string(),
  width: z.number(),
  height: z.number(),
});
export type GeneratedMedia = z.infer<typeof GeneratedMedia>;

/** What the Worker POSTs to a render's `webhook_url` once it is done or failed (docs/rendering.md). */
export const RenderWebhookBody = z.object({
  event: z.enum(['render.done', 'render.failed']),
  data: RenderStatusView,
});
export type RenderWebhookBody = z.infer<typeof RenderWebhookBody>;
