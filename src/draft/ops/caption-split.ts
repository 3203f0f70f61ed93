/**
 * Captions never span a cut. A caption shows all its words for its whole time, so a caption that
 * crossed a cut point (or a clip boundary that a reorder moves) would show words seconds before
 * they are spoken. Splitting a caption at a point puts each word on the side its middle falls.
 */

import type { CaptionWord, Draft, TextSegment } from '../schema.ts';
import { TrackType } from '../schema.ts';
import { isSpaceless, joinWords, layoutLines } from './captions-text.ts';

const mid = (w: CaptionWord) => (w.s + w.e) / 2;

export function captionText(words: readonly CaptionWord[], language: string | undefined): string {
  const texts = words.map((w) => w.w);
  return layoutLines(texts, isSpaceless(language)) ?? joinWords(texts, isSpaceless(language));
}

/** Splits a worded text segment at timeline point `t`; segments without words are left whole. */
export function splitTextSegmentAt(
  seg: TextSegment,
  t: number,
  language: string | undefined,
  newId: () => string,
): TextSegment[] {
  const words = seg.m.words;
  if (!words || t <= seg.s || t >= seg.s + seg.d) return [seg];
  const left = words.filter((w) => mid(w) < t);
  const right = words.filter((w) => mid(w) >= t);
  if (left.length === 0 || right.length === 0) return [seg];
  return [
    { ...seg, d: t - seg.s, text: captionText(left, language), m: { ...seg.m, words: left } },
    {
      ...seg,
      id: newId(),
      s: t,
      d: seg.s + seg.d - t,
      text: captionText(right, language),
      m: { ...seg.m, words: right },
    },
  ];
}

/** Splits every worded caption of the draft at each of the points (mutates the draft it is given). */
export function splitCaptionsAt(draft: Draft, points: readonly number[], newId: () => string): void {
  for (const track of draft.t) {
    if (track.tt !== TrackType.text) continue;
    let segs = track.sg;
    for (const t of points) segs = segs.flatMap((seg) => splitTextSegmentAt(seg, t, track.m.language, newId));
    track.sg = segs;
  }
}
