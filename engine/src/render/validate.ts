/** Checks a parsed render request beyond its schema; returns the first problem as "field: message". */
import { referencedMedia, TrackType } from '../../../src/draft/schema.ts';
import { timelineFrames } from '../../../src/draft/slice-draft.ts';
import type { RenderRequest } from '../../../src/lib/engine-protocol.ts';
import { draftDurationMs } from './build-render.ts';

export function validateRender(req: RenderRequest): string | null {
  const { draft, inputs } = req;
  // yuv420p needs even dimensions; sizes up to 4K (1920x1080, 1080x1920, 1080x1080, 1080x1350, 720p, ...).
  if (draft.w % 2 !== 0) return 'draft.w: must be even';
  if (draft.h % 2 !== 0) return 'draft.h: must be even';
  if (draftDurationMs(draft) <= 0) return 'draft.d: the draft is empty (no segment and no duration)';
  if (draft.m?.window) return 'draft.m.window: set by the engine from part (send the whole draft)';
  const { part } = req;
  if (part && part.kind !== 'join' && (req.output.srt_url || req.output.vtt_url || req.output.poster_url))
    return `output: a ${part.kind} part writes only output.url (captions and poster come with the join)`;
  if (part?.kind === 'video') {
    const total = timelineFrames(draft);
    if (part.end_frame <= part.start_frame) return 'part.end_frame: must be after start_frame';
    if (part.end_frame > total) return `part.end_frame: the timeline has ${total} frames`;
  }
  // A join reads only the parts' files: the draft's media are not read again.
  if (part?.kind === 'join') return null;
  for (const id of referencedMedia(draft)) {
    if (!inputs[id]) return `inputs.${id}: the draft uses media ${id} but no input URL was given`;
  }
  for (const [ti, track] of draft.t.entries()) {
    if (track.tt === TrackType.text) continue;
    for (const [si, seg] of track.sg.entries()) {
      const kind = inputs[seg.src].kind;
      if (track.tt === TrackType.video && kind === 'audio')
        return `draft.t.${ti}.sg.${si}.src: ${seg.src} is audio on a video track`;
      if (track.tt === TrackType.audio && kind === 'image')
        return `draft.t.${ti}.sg.${si}.src: ${seg.src} is an image on an audio track`;
    }
  }
  return null;
}
