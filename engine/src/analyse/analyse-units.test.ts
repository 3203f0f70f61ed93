import { describe, expect, it } from 'vitest';
import { planChunks } from './chunks.ts';
import { isFiller } from './fillers.ts';
import { complement, parseSilencedetect, pauseThresholdDb } from './pauses.ts';

describe('analysis helpers', () => {
  it('marks only true fillers', () => {
    for (const w of ['um', 'Uh,', 'er', 'ah', 'hmm', '嗯', '啊', '呃', '那个', '就是']) expect(isFiller(w)).toBe(true);
    for (const w of ['like', 'so', 'the', 'umbrella', '你好', '']) expect(isFiller(w)).toBe(false);
  });

  it('sets the pause threshold below the speech level, within sane limits', () => {
    expect(pauseThresholdDb(-20, 25)).toBe(-45);
    expect(pauseThresholdDb(-50, 25)).toBe(-65);
    expect(pauseThresholdDb(0, 10)).toBe(-18);
  });

  it('reads silencedetect output, including a silence running to the end', () => {
    const err =
      '[silencedetect] silence_start: 1.5\n[silencedetect] silence_end: 2.75 | silence_duration: 1.25\n[silencedetect] silence_start: 9.2\n';
    const pauses = parseSilencedetect(err, 10_000);
    expect(pauses).toEqual([
      { s: 1500, e: 2750 },
      { s: 9200, e: 10_000 },
    ]);
    expect(complement(pauses, 10_000)).toEqual([
      { s: 0, e: 1500 },
      { s: 2750, e: 9200 },
    ]);
  });

  it('chunks long audio at pauses, never longer than the limit', () => {
    const pauses = [
      { s: 20_000, e: 20_400 },
      { s: 45_000, e: 46_000 },
      { s: 50_000, e: 50_300 },
      { s: 100_000, e: 101_000 },
    ];
    const chunks = planChunks(150_000, pauses, 60_000);
    expect(chunks[0]).toEqual({ s: 0, e: 45_500 }); // the longest pause in the second half
    for (const c of chunks) expect(c.e - c.s).toBeLessThanOrEqual(60_000);
    expect(chunks.at(-1)!.e).toBe(150_000);
    for (let i = 1; i < chunks.length; i++) expect(chunks[i].s).toBe(chunks[i - 1].e);
    // No pause at all: hard cuts.
    expect(planChunks(130_000, [], 60_000).map((c) => c.e)).toEqual([60_000, 120_000, 130_000]);
  });
});
