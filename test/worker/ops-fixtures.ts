/** Shared fixtures for the pure-op tests: a 10 s talking clip with known pauses and words. */

import { expect } from 'vitest';
import type { MediaAnalysis, MediaInfo, OpContext } from '../../src/draft/ops/types.ts';
import { computeDurationMs, type Draft, DraftSchema } from '../../src/draft/schema.ts';

export const MEDIA: MediaInfo[] = [
  {
    media_id: 'med_a',
    name: 'talk.mp4',
    kind: 'video',
    duration_ms: 10_000,
    width: 1920,
    height: 1080,
    has_audio: true,
  },
  {
    media_id: 'med_b',
    name: 'broll.mp4',
    kind: 'video',
    duration_ms: 4000,
    width: 1920,
    height: 1080,
    has_audio: false,
  },
  { media_id: 'med_c', name: 'photo.jpg', kind: 'image', duration_ms: null, width: 1080, height: 1080 },
  { media_id: 'med_m', name: 'lofi.mp3', kind: 'audio', duration_ms: 30_000 },
];

const w = (word: string, s: number, e: number, filler = false) => ({ w: word, s, e, filler });

export const ANALYSIS: Record<string, MediaAnalysis> = {
  med_a: {
    pauses: [
      { s: 2000, e: 3500 },
      { s: 6000, e: 6300 },
      { s: 8000, e: 9000 },
    ],
    speech: [
      { s: 0, e: 2000 },
      { s: 3500, e: 6000 },
      { s: 6300, e: 8000 },
      { s: 9000, e: 10_000 },
    ],
    words: [
      w('Hello', 0, 500),
      w('um', 600, 900, true),
      w('world.', 1000, 1900),
      w('This', 3500, 3900),
      w('is', 4000, 4200),
      w('a', 4300, 4400),
      w('test', 4500, 5000),
      w('uh', 5100, 5500, true),
      w('of', 5600, 5900),
      w('captions', 6300, 7000),
      w('today.', 7100, 7900),
      w('Bye.', 9100, 9800),
    ],
  },
};

export function ctx(over: Partial<OpContext> = {}): OpContext {
  return { media: MEDIA, analysis: ANALYSIS, language: 'en', ...over };
}

/** One 10 s clip on the main track, a title over its first 3 s. */
export function baseDraft(): Draft {
  return DraftSchema.parse({
    w: 1080,
    h: 1920,
    d: 10_000,
    t: [
      { id: 'v1', tt: 0, m: { name: 'talk' }, sg: [{ id: 's1', src: 'med_a', s: 0, d: 10_000, in: 0 }] },
      { id: 'x1', tt: 7, m: { name: 'Title', kind: 'title' }, sg: [{ id: 't1', text: 'Hi', s: 0, d: 3000 }] },
    ],
  });
}

export function emptyDraft(): Draft {
  return DraftSchema.parse({ w: 1080, h: 1920, d: 0, t: [] });
}

/** Applies an op through its zod args and checks what every op must keep: a valid draft whose `d` is its real length. */
export function run<A>(
  op: { args: { parse(x: unknown): A }; apply(d: Draft, a: A, c: OpContext): Draft },
  draft: Draft,
  args: unknown,
) {
  const out = op.apply(draft, op.args.parse(args), ctx());
  expect(DraftSchema.parse(out)).toEqual(out);
  expect(out.d).toBe(computeDurationMs(out));
  return out;
}
