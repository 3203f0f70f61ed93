/**
 * Typed `data` of the answers that had no schema yet (docs/api.md), kept apart from the route
 * files so the OpenAPI document can describe them and tests can check real answers against
 * them (test/worker/openapi.test.ts): a field a route adds or drops shows up as a failure.
 */
import { z } from 'zod';
import { DraftSchema } from '../draft/schema.ts';
import { GeneratedMedia } from '../render/status-schema.ts';
import { UploadedMedia } from './uploads.ts';

export const HealthData = z.object({
  status: z.literal('ok'),
  engine: z.enum(['ok', 'unreachable', 'not configured']),
  engines: z
    .object({ configured: z.number().int(), healthy: z.number().int() })
    .describe('The engine pool (ENGINE_URLS): how many engines are configured and how many passed a health check'),
  time: z.string().describe('ISO 8601'),
});

export const SessionSummary = z.object({
  session_id: z.string(),
  task_id: z.string(),
  task_name: z.string(),
  language: z.string(),
  created_at: z.number().describe('unix ms'),
  updated_at: z.number().describe('unix ms'),
  draft_version: z.number().int(),
});
export const SessionListData = z.object({ sessions: z.array(SessionSummary) });
export const SessionDeleted = z.object({ deleted: z.string(), objects: z.number().int() });

export const FullBalance = z.object({
  available: z.number(),
  frozen: z.number(),
  spent: z.number(),
  granted: z.number(),
  total: z.number(),
});
export const LedgerData = z.object({
  balance: FullBalance,
  rows: z.array(
    z.object({
      seq: z.number().int(),
      at: z.number().describe('unix ms'),
      kind: z.enum(['grant', 'freeze', 'spend', 'refund']),
      amount: z.number().int(),
      ref: z.string().nullable().describe('the render id of a freeze, spend or refund'),
      note: z.string().nullable(),
    }),
  ),
});

export const StateData = z.object({
  draft: DraftSchema,
  draft_version: z.number().int().describe('head of the draft history; 0 is the empty draft'),
  video_infos: z.array(
    UploadedMedia.extend({
      analysis_ready: z.boolean().describe('speech analysis cached: speech edits need no engine'),
    }),
  ),
  generated_media: z.array(GeneratedMedia),
});

export const BlobPutData = z.object({ key: z.string(), size: z.number(), etag: z.string().nullable() });
