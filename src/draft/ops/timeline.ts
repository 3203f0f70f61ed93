/** Source time ↔ timeline time through the main video track's segments (cuts and speed). */
import type { Draft, VisualSegment } from '../schema.ts';
import type { Interval } from './types.ts';
import { mainVideoTrack } from './util.ts';

function sourceSpan(seg: VisualSegment): Interval {
  const speed = seg.m.speed ?? 1;
  return { s: seg.in, e: seg.in + seg.d * speed };
}

/**
 * Timeline ranges showing a source interval of `src` on the main track (several when the
 * clip was split or used twice). Source interval times in ms.
 */
export function sourceToTimeline(draft: Draft, src: string, interval: Interval): Interval[] {
  const out: Interval[] = [];
  for (const seg of mainVideoTrack(draft)?.sg ?? []) {
    if (seg.src !== src) continue;
    const span = sourceSpan(seg);
    const s = Math.max(span.s, interval.s);
    const e = Math.min(span.e, interval.e);
    if (e <= s) continue;
    const speed = seg.m.speed ?? 1;
    out.push({ s: seg.s + (s - seg.in) / speed, e: seg.s + (e - seg.in) / speed });
  }
  return out;
}

/** Where a source instant of `src` plays on the timeline, or null when it was cut. */
export function sourcePointToTimeline(draft: Draft, src: string, t: number): number | null {
  for (const seg of mainVideoTrack(draft)?.sg ?? []) {
    if (seg.src !== src) continue;
    const span = sourceSpan(seg);
    if (t >= span.s && t < span.e) return seg.s + (t - seg.in) / (seg.m.speed ?? 1);
  }
  return null;
}

/** Media ids on the main video track, in timeline order, without repeats. */
export function mainTrackSources(draft: Draft): string[] {
  const ids: string[] = [];
  for (const seg of mainVideoTrack(draft)?.sg ?? []) if (!ids.includes(seg.src)) ids.push(seg.src);
  return ids;
}
