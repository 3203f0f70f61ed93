import { describe, expect, it } from 'vitest';
import { planChunks } from '../src/analyse/chunks.ts';
import { energySpeech, FRAME_MS } from '../src/analyse/energy-vad.ts';
import { isFiller } from '../src/analyse/fillers.ts';
import { complement, reconcile } from '../src/analyse/refine.ts';
import { joinSpans } from '../src/analyse/sliced-vad.ts';
import { planWindows } from '../src/analyse/windows.ts';

/** Frame levels: `[dB, ms]` runs, 30 ms frames, with ±1 dB of wobble like real room tone. */
function levels(...runs: [number, number][]): Float32Array {
  const out: number[] = [];
  for (const [db, ms] of runs) for (let i = 0; i < ms / FRAME_MS; i++) out.push(db + (i % 3) - 1);
  return Float32Array.from(out);
}

describe('analysis helpers', () => {
  it('marks only true fillers', () => {
    for (const w of ['um', 'Uh,', 'er', 'ah', 'hmm', '嗯', '啊', '呃', '那个', '就是']) expect(isFiller(w)).toBe(true);
    for (const w of ['like', 'so', 'the', 'umbrella', '你好', '']) expect(isFiller(w)).toBe(false);
  });

  it('finds pauses over room tone at any level: the threshold follows the noise floor', () => {
    for (const floor of [-70, -60, -50, -40]) {
      const speech = floor + 25;
      const spans = energySpeech(
        levels([floor, 600], [speech, 1500], [floor, 900], [speech, 1200], [floor, 300], [speech, 900], [floor, 600]),
        400,
      );
      // The 300 ms gap is bridged (shorter than a pause); the 900 ms one is not.
      expect(spans, `floor ${floor}`).toEqual([
        { s: 600, e: 2100 },
        { s: 3000, e: 5400 },
      ]);
    }
  });

  it('reports one utterance for a clip with no quiet stretch, and nothing for silence', () => {
    expect(energySpeech(levels([-20, 3000]), 400)).toEqual([{ s: 0, e: 3000 }]);
    expect(energySpeech(levels([-80, 3000]), 400)).toEqual([]);
  });

  it('splits a pause around a confident word the detector missed, and clamps drifting word edges', () => {
    const speech = [
      { s: 0, e: 1000 },
      { s: 3000, e: 4000 },
    ];
    const words = [
      { w: 'Hello', s: 100, e: 1300, conf: 0.9 }, // ends 300 ms into the pause
      { w: 'soft', s: 1800, e: 2100, conf: 0.8 }, // wholly inside the pause: missed speech
      { w: 'hm', s: 2500, e: 2600, conf: 0.2 }, // unsure: does not split the pause
      { w: 'world.', s: 2800, e: 3500, conf: 0.9 }, // starts 200 ms early
    ];
    const r = reconcile(speech, words, 4500, 400);
    expect(r.pauses).toEqual([
      { s: 1000, e: 1800 },
      { s: 2100, e: 3000 },
      { s: 4000, e: 4500 },
    ]);
    expect(r.words.map((w) => [w.s, w.e])).toEqual([
      [100, 1000],
      [1800, 2100],
      [2500, 2600],
      [3000, 3500],
    ]);
    expect(r.speech).toEqual(complement(r.pauses, 4500));
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

describe('long inputs', () => {
  it('plans analysis windows at the middle of long pauses, preferring pauses of a second or more', () => {
    const pauses = [
      { s: 200_000, e: 200_600 }, // long enough to be a pause, too short to cut in when a longer one exists
      { s: 250_000, e: 251_200 },
      { s: 420_000, e: 420_500 },
    ];
    const windows = planWindows(600_000, pauses, 300_000);
    expect(windows.map((w) => w.e)).toEqual([250_600, 420_250, 600_000]);
    for (const w of windows) expect(w.e - w.s).toBeLessThanOrEqual(300_000);
    // Pause-only windows are kept: the windows cover the whole file.
    expect(planWindows(700_000, [{ s: 100_000, e: 700_000 }], 300_000)[0]).toEqual({ s: 0, e: 300_000 });
  });

  it('joins voice activity across slice seams', () => {
    expect(
      joinSpans(
        [
          { s: 0, e: 1000 },
          { s: 599_800, e: 600_000 },
          { s: 600_000, e: 600_900 },
          { s: 601_500, e: 602_000 },
        ],
        400,
      ),
    ).toEqual([
      { s: 0, e: 1000 },
      { s: 599_800, e: 600_900 },
      { s: 601_500, e: 602_000 },
    ]);
  });

  it('keeps the edge pauses of a window however short, so the Worker can join the halves', () => {
    const speech = [{ s: 150, e: 4800 }];
    expect(reconcile(speech, [], 5000, 400).pauses).toEqual([]);
    expect(reconcile(speech, [], 5000, 400, { keepEdgePauses: true }).pauses).toEqual([
      { s: 0, e: 150 },
      { s: 4800, e: 5000 },
    ]);
  });
});
