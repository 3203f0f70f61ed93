/**
 * Checks a parsed render request beyond its schema; returns the first problem as "field:
 * message". The checks are the Worker's (src/draft/checks.ts): a draft the Worker accepted is
 * refused here only if the request was not made by the Worker.
 */
import { renderProblem } from '../../../src/draft/checks.ts';
import { timelineFrames } from '../../../src/draft/slice-draft.ts';
import type { RenderRequest } from '../../../src/render/render-request.ts';

export function validateRender(req: RenderRequest): string | null {
  const { draft, part } = req;
  if (part && part.kind !== 'join' && (req.output.srt_url || req.output.vtt_url || req.output.poster_url))
    return `output: a ${part.kind} part writes only output.url (captions and poster come with the join)`;
  if (part?.kind === 'video') {
    const total = timelineFrames(draft);
    if (part.end_frame <= part.start_frame) return 'part.end_frame: must be after start_frame';
    if (part.end_frame > total) return `part.end_frame: the timeline has ${total} frames`;
  }
  return renderProblem(draft, (mediaId) => req.inputs[mediaId]?.kind);
}
