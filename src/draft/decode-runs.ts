/**
 * How many times the engine decodes each source for a draft. Shared by the engine (which builds
 * its graph from `forwardRuns`) and the draft limits (which cap the result), so the limit counts
 * exactly what costs memory: one open decoder per input, not one per segment.
 *
 * A source with few segments on the bottom video track gets one input per segment (input seeking
 * decodes only the kept parts, cheapest for a handful of cuts). From SHARED_DECODE_MIN segments
 * of one source on, the engine opens the source once per forward run and cuts the segments out of
 * that single decode in timeline order, so its memory no longer grows with the segment count.
 */
import { TrackType } from './track-type.ts';

/** Segments of one source (one fit, one speed) on the bottom track from which one decode is shared. */
export const SHARED_DECODE_MIN = 9;

export interface SourceUse {
  /** In-point in the source, ms. */
  in: number;
  /** Source time consumed, ms (duration × speed). */
  span: number;
}

/**
 * Splits uses (in timeline order) into runs whose source ranges move forward without overlapping,
 * each to be cut from one decode that is read once from start to end. A use goes to the run that
 * ended latest at or before its in-point (best fit), else it starts a new run: a cut-only edit
 * ("trim the pauses") is one run; each jump back in the source, or repeat, needs another.
 * Returns the runs as lists of indices into `uses`, in timeline order.
 */
export function forwardRuns(uses: SourceUse[]): number[][] {
  const runs: { end: number; members: number[] }[] = [];
  uses.forEach((use, i) => {
    let best: (typeof runs)[number] | undefined;
    for (const run of runs) if (run.end <= use.in && (!best || run.end > best.end)) best = run;
    if (!best) {
      best = { end: 0, members: [] };
      runs.push(best);
    }
    best.members.push(i);
    best.end = use.in + use.span;
  });
  return runs.map((r) => r.members);
}

interface LooseSegment {
  src?: unknown;
  s?: unknown;
  d?: unknown;
  in?: unknown;
  m?: { speed?: unknown; fit?: unknown };
}

const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/**
 * Decodes per source the engine will open for these tracks: the bottom video track (the first
 * with `tt` 0) shares decodes as above, grouped by source, fit and speed
 * (a run is retimed and scaled as a whole); every other segment with a
 * source opens its own input. Never fewer than the engine opens (clipping overlapping segments
 * in the engine only shortens spans, and an image source is opened once when shared).
 */
export function decodesPerSource(tracks: { tt?: unknown; sg: object[] }[]): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (src: string, n: number) => counts.set(src, (counts.get(src) ?? 0) + n);
  const bottom = tracks.find((t) => t.tt === TrackType.video);
  const groups = new Map<string, { src: string; uses: (SourceUse & { s: number })[] }>();
  for (const track of tracks) {
    for (const seg of track.sg as LooseSegment[]) {
      if (typeof seg.src !== 'string') continue; // text segments
      if (track !== bottom) {
        add(seg.src, 1);
        continue;
      }
      const key = `${seg.src}\u0000${String(seg.m?.fit ?? 'cover')}\u0000${String(seg.m?.speed ?? 1)}`;
      const group = groups.get(key) ?? { src: seg.src, uses: [] };
      groups.set(key, group);
      const span = num(seg.d, 0) * num(seg.m?.speed, 1);
      group.uses.push({ s: num(seg.s, 0), in: num(seg.in, 0), span });
    }
  }
  for (const { src, uses } of groups.values()) {
    if (uses.length < SHARED_DECODE_MIN) add(src, uses.length);
    else add(src, forwardRuns([...uses].sort((a, b) => a.s - b.s)).length);
  }
  return counts;
}
