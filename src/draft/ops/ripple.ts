/**
 * Ripple delete: remove timeline ranges from every track and close the gaps, the shared core
 * of trim_pauses, remove_fillers, cut_range and trim_to. Media segments are split into the kept
 * pieces (in-points follow, speed respected); text segments shrink and shift; caption words
 * follow their speech; background music stays one continuous bed, clamped to the new length.
 */

import type { AudioSegment, Draft, TextSegment, Track, VisualSegment } from '../schema.ts';
import { TrackType } from '../schema.ts';
import { captionText, splitCaptionsAt } from './caption-split.ts';
import type { Interval } from './types.ts';
import { idMaker } from './util.ts';

/** Sort, clip to >= 0 and merge overlapping ranges; drops empty ones. */
export function normalizeRanges(ranges: readonly Interval[]): Interval[] {
  const sorted = ranges
    .map((r) => ({ s: Math.max(0, Math.round(r.s)), e: Math.round(r.e) }))
    .filter((r) => r.e > r.s)
    .sort((x, y) => x.s - y.s);
  const merged: Interval[] = [];
  for (const r of sorted) {
    const last = merged.at(-1);
    if (last && r.s <= last.e) last.e = Math.max(last.e, r.e);
    else merged.push({ ...r });
  }
  return merged;
}

/** Where a timeline point lands after removing [a, b). */
function mapPoint(t: number, a: number, b: number): number {
  if (t <= a) return t;
  if (t < b) return a;
  return t - (b - a);
}

function isMusic(track: Track): boolean {
  return track.tt === TrackType.audio && (track.m.kind === 'music' || track.sg.some((seg) => seg.m.loop === true));
}

type MediaSeg = VisualSegment | AudioSegment;

function cutMediaSegment(seg: MediaSeg, a: number, b: number, newId: () => string): MediaSeg[] {
  const end = seg.s + seg.d;
  if (end <= a) return [seg];
  if (seg.s >= b) return [{ ...seg, s: seg.s - (b - a) }];
  const speed = seg.m.speed ?? 1;
  const pieces: MediaSeg[] = [];
  if (seg.s < a) {
    const { fade_out: _fo, ...m } = seg.m;
    pieces.push({ ...seg, d: a - seg.s, m } as MediaSeg);
  }
  if (end > b) {
    const { fade_in: _fi, ...m } = seg.m;
    const piece = {
      ...seg,
      id: pieces.length ? newId() : seg.id,
      s: a,
      d: end - b,
      in: seg.in + (b - seg.s) * speed,
      m,
    };
    pieces.push(piece as MediaSeg);
  }
  return pieces;
}

function cutTextSegment(seg: TextSegment, a: number, b: number, language: string | undefined): TextSegment | null {
  const s = mapPoint(seg.s, a, b);
  const e = mapPoint(seg.s + seg.d, a, b);
  if (e - s <= 0) return null;
  const words = seg.m.words;
  if (!words) return { ...seg, s, d: e - s };
  // A word goes with the cut when most of it is inside (its middle): half a word is not kept.
  const kept = words
    .filter((w) => {
      const mid = (w.s + w.e) / 2;
      return mid < a || mid >= b;
    })
    .map((w) => ({ w: w.w, s: mapPoint(w.s, a, b), e: mapPoint(w.e, a, b) }));
  if (kept.length === 0) return null;
  const text = kept.length === words.length ? seg.text : captionText(kept, language);
  return { ...seg, s, d: e - s, text, m: { ...seg.m, words: kept } };
}

/** Remove the given timeline ranges from the draft (mutates and returns the copy it is given). */
export function rippleDelete(draft: Draft, ranges: readonly Interval[]): Draft {
  const merged = normalizeRanges(ranges);
  const newId = idMaker(draft);
  const removedMs = merged.reduce((sum, r) => sum + (r.e - r.s), 0);
  const layered = new Set(draft.t.filter((t) => t.tt !== TrackType.video && t.sg.length > 0).map((t) => t.id));
  // Captions are split at every cut first, so none shows words from both sides of one.
  splitCaptionsAt(
    draft,
    merged.flatMap((r) => [r.s, r.e]),
    () => newId('c'),
  );
  // Latest range first: removing it never moves the earlier ones.
  for (const { s: a, e: b } of [...merged].reverse()) {
    for (const track of draft.t) {
      if (isMusic(track)) continue;
      if (track.tt === TrackType.text) {
        track.sg = track.sg
          .map((seg) => cutTextSegment(seg, a, b, track.m.language))
          .filter((x): x is TextSegment => x !== null);
      } else if (track.tt === TrackType.video) {
        track.sg = track.sg.flatMap((seg) => cutMediaSegment(seg, a, b, () => newId('s')) as VisualSegment[]);
      } else {
        track.sg = track.sg.flatMap((seg) => cutMediaSegment(seg, a, b, () => newId('s')) as AudioSegment[]);
      }
    }
  }
  if (removedMs > 0) clampMusic(draft);
  // A title, text, caption or audio layer that lost every segment is gone, not an empty track.
  draft.t = draft.t.filter((t) => !layered.has(t.id) || t.sg.length > 0);
  return draft;
}

/** Shorten (or drop) music beds so they end with the rest of the content. */
export function clampMusic(draft: Draft): void {
  let contentEnd = 0;
  for (const track of draft.t)
    if (!isMusic(track)) for (const seg of track.sg) contentEnd = Math.max(contentEnd, seg.s + seg.d);
  for (const track of draft.t) {
    if (!isMusic(track) || track.tt !== TrackType.audio) continue;
    track.sg = track.sg
      .filter((seg) => seg.s < contentEnd)
      .map((seg) => ({ ...seg, d: Math.min(seg.d, contentEnd - seg.s) }));
  }
}
