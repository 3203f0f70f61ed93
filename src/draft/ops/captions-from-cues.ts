/**
 * Captions from an uploaded SRT or VTT, with its own timing. The cue times count from the start
 * of the recording: the main track's clips laid end to end as uploaded, before any edit. Each cue
 * goes through the current cuts, so it shows where its speech now plays; a cue split by a cut
 * shows on each kept piece, and a cue wholly cut is dropped.
 */

import { z } from 'zod';
import type { TextSegment, TextTrack } from '../schema.ts';
import { TrackType } from '../schema.ts';
import { defineOp } from './define-op.ts';
import { mainTrackSources, sourceToTimeline } from './timeline.ts';
import { OpError } from './types.ts';
import { findMedia, idMaker, mainVideoTrack, requireMainVideo } from './util.ts';

export const captionsFromCuesArgs = z.object({
  cues: z
    .array(z.object({ s: z.number().min(0), e: z.number().positive(), text: z.string().min(1).max(500) }))
    .min(1)
    .max(20_000),
  language: z.string().min(2).max(35).optional(),
  pos: z.enum(['top', 'center', 'bottom']).default('bottom'),
});

export const captionsFromCues = defineOp({
  name: 'captions_from_cues',
  description: 'Captions from an uploaded subtitle file (its own timing, moved through the cuts).',
  args: captionsFromCuesArgs,
  edit(draft, args, ctx) {
    requireMainVideo(draft);
    // Where each source starts in the recording as uploaded (the file's time base).
    let offset = 0;
    const segs = mainVideoTrack(draft)!.sg;
    const spans = mainTrackSources(draft).map((src) => {
      // The probed length; without one (no engine), as far as the timeline reaches into the source.
      const used = Math.max(...segs.filter((g) => g.src === src).map((g) => g.in + g.d * (g.m.speed ?? 1)));
      const d = Math.max(findMedia(ctx, src).duration_ms ?? 0, used);
      const span = { src, s: offset, e: offset + d };
      offset += d;
      return span;
    });
    const newId = idMaker(draft);
    const size = Math.round(Math.max(draft.w, draft.h) * 0.03);
    const segments: TextSegment[] = [];
    for (const cue of args.cues)
      for (const span of spans) {
        const s = Math.max(cue.s, span.s);
        const e = Math.min(cue.e, span.e);
        if (e <= s) continue;
        for (const piece of sourceToTimeline(draft, span.src, { s: s - span.s, e: e - span.s }))
          if (piece.e - piece.s >= 1)
            segments.push({
              id: newId('c'),
              text: cue.text,
              s: piece.s,
              d: piece.e - piece.s,
              m: { pos: args.pos, size },
            });
      }
    if (segments.length === 0)
      throw new OpError(
        'no_cues_left',
        'Every subtitle falls in a part that was cut.',
        '所有字幕都落在被剪掉的部分里。',
      );
    segments.sort((a, b) => a.s - b.s);
    const existing = draft.t.findIndex((t) => t.tt === TrackType.text && t.m.kind === 'caption');
    const track: TextTrack = {
      id: existing >= 0 ? draft.t[existing]!.id : newId('cap'),
      tt: TrackType.text,
      m: { name: 'Captions', kind: 'caption', language: args.language ?? ctx.language, style: 'classic' },
      sg: segments,
    };
    if (existing >= 0) draft.t[existing] = track;
    else draft.t.push(track);
    return draft;
  },
});
