import { z } from 'zod';
import { TrackType } from '../schema.ts';
import { fitMusic } from './add-music.ts';
import { defineOp } from './define-op.ts';
import { requireMainVideo } from './util.ts';

export const setSpeedArgs = z.object({
  factor: z.number().min(0.25).max(4).describe('Playback speed relative to the original (1.5 = 1.5x faster)'),
});

interface Span {
  oldS: number;
  oldE: number;
  newS: number;
  ratio: number;
}

/** Maps an old timeline instant to the new one, through the main track's re-timed segments. */
function timeMap(spans: Span[]): (t: number) => number {
  return (t) => {
    let shift = 0;
    for (const span of spans) {
      if (t < span.oldS) break;
      if (t < span.oldE) return span.newS + (t - span.oldS) * span.ratio;
      shift = span.newS + (span.oldE - span.oldS) * span.ratio - span.oldE;
    }
    return t + shift;
  };
}

export const setSpeed = defineOp({
  name: 'set_speed',
  description: 'Play the video faster or slower (all clips; titles and captions follow).',
  args: setSpeedArgs,
  edit(draft, args) {
    const main = requireMainVideo(draft);
    // Lay the main track out again; gaps between its segments keep their length.
    const spans: Span[] = [];
    let cursor = 0;
    let prevEnd = 0;
    for (const seg of [...main.sg].sort((a, b) => a.s - b.s)) {
      cursor += Math.max(0, seg.s - prevEnd);
      const ratio = (seg.m.speed ?? 1) / args.factor;
      spans.push({ oldS: seg.s, oldE: seg.s + seg.d, newS: cursor, ratio });
      cursor += seg.d * ratio;
      prevEnd = seg.s + seg.d;
    }
    const map = timeMap(spans);
    for (const track of draft.t) {
      if (track.tt === TrackType.audio && track.m.kind === 'music') continue;
      if (track.tt === TrackType.text) {
        for (const seg of track.sg) {
          const s = map(seg.s);
          seg.d = Math.max(1, map(seg.s + seg.d) - s);
          seg.s = s;
          if (seg.m.words)
            seg.m.words = seg.m.words.map((w) => ({ w: w.w, s: Math.round(map(w.s)), e: Math.round(map(w.e)) }));
        }
        continue;
      }
      for (const seg of track.sg) {
        // Media plays `factor` times faster, however it was timed before.
        seg.d = (seg.d * (seg.m.speed ?? 1)) / args.factor;
        seg.s = map(seg.s);
        seg.m.speed = args.factor;
      }
    }
    fitMusic(draft);
    return draft;
  },
});
