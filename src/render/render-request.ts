import type { z } from 'zod';
import { DraftSchema } from '../draft/schema.ts';
import { RenderRequestEnvelope } from '../lib/engine-protocol.ts';

/** The engine's POST /render body: a draft, signed URLs for its inputs and outputs, a preset. */
export const RenderRequest = RenderRequestEnvelope.extend({ draft: DraftSchema });
export type RenderRequest = z.infer<typeof RenderRequest>;
