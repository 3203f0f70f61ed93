/**
 * Long inputs analysed in windows (docs/speech.md, "Long inputs"): real speech (LibriVox, twice
 * over, with 2 s gaps under room tone) is split by POST /analyse/windows with a small window so
 * the test stays short, each window is analysed on its own with start_ms/end_ms, and the merged
 * answer is compared with the unsplit one.
 */
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeWindowAnalyses } from '../../src/agent/analysis-merge.ts';
import { AnalyseResult, AnalyseWindowsResult } from '../../src/lib/engine-protocol.ts';
import { wordErrorRate } from '../src/asr/wer.ts';
import { type Fixture, setUp } from './fixtures.ts';
import { durationMs, ffmpeg } from './media.ts';
import { hasLibrivox, librivoxClip } from './speech.ts';

/** Small enough for several windows in a 90 s clip. */
const TEST_WINDOW_MS = 25_000;

let fx: Fixture;
beforeAll(async () => {
  fx = await setUp();
});
afterAll(async () => {
  await fx.close();
});

const plain = (words: { w: string; filler: boolean }[]) =>
  words.filter((w) => !w.filler).map((w) => w.w.toLowerCase().replace(/[^a-z']/g, ''));

describe.runIf(hasLibrivox)('analysis of a long file in windows', () => {
  it('cuts in pauses, adds offsets back, and merges to the unsplit words', async () => {
    const once = await librivoxClip(fx.dir, 'lw', { gapS: 2, roomToneDb: -50 });
    const path = join(fx.dir, 'lw2.m4a');
    await ffmpeg('-stream_loop', '1', '-i', once.path, '-c', 'copy', path);
    const onceMs = await durationMs(once.path, 'a');
    // Where the speech is in the doubled clip: every cut must fall between two of these.
    const spans = [...once.spans, ...once.spans.map((s) => ({ s: s.s + onceMs, e: s.e + onceMs }))];
    const reference = [...once.words, ...once.words];
    const url = fx.files.url(basename(path));

    const plan = await fx.call('POST', '/analyse/windows', {
      url,
      content_hash: 'lw2windows',
      window_ms: TEST_WINDOW_MS,
    });
    expect(plan.status, JSON.stringify(plan.json)).toBe(200);
    const { windows, duration_ms } = AnalyseWindowsResult.parse(plan.json);
    expect(windows.length).toBeGreaterThanOrEqual(3);
    expect(windows[0]!.s).toBe(0);
    expect(windows.at(-1)!.e).toBe(duration_ms);
    for (const [i, w] of windows.entries()) {
      expect(w.e - w.s).toBeLessThanOrEqual(TEST_WINDOW_MS);
      if (i > 0) expect(w.s).toBe(windows[i - 1]!.e);
    }
    const cuts = windows.slice(1).map((w) => w.s);
    // Every cut is in a gap between recordings, never inside one (a word is never split).
    for (const cut of cuts) expect(spans.some((sp) => cut > sp.s && cut < sp.e)).toBe(false);

    const whole = await fx.call('POST', '/analyse', { url, content_hash: 'lw2whole' });
    expect(whole.status, JSON.stringify(whole.json)).toBe(200);
    const unsplit = AnalyseResult.parse(whole.json);

    const parts: AnalyseResult[] = [];
    for (const w of windows) {
      const res = await fx.call('POST', '/analyse', { url, content_hash: 'lw2whole', start_ms: w.s, end_ms: w.e });
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      const part = AnalyseResult.parse(res.json);
      expect(part.start_ms).toBe(w.s);
      expect(Math.abs(part.end_ms! - w.e)).toBeLessThan(100);
      // Source time: offsets added back.
      for (const word of part.words) {
        expect(word.s).toBeGreaterThanOrEqual(w.s);
        expect(word.e).toBeLessThanOrEqual(part.end_ms!);
      }
      for (const p of part.pauses) expect(p.s >= w.s && p.e <= part.end_ms!).toBe(true);
      parts.push(part);
    }
    // The cut points lie in pauses the windows themselves found (half a pause each side).
    for (const [i, cut] of cuts.entries()) {
      expect(parts[i]!.pauses.at(-1)!.e).toBe(parts[i]!.end_ms);
      expect(parts[i + 1]!.pauses[0]!.s).toBe(cut);
    }
    // A window's own cache key: asked again, it is served from the cache.
    const again = await fx.call('POST', '/analyse', {
      url,
      content_hash: 'lw2whole',
      start_ms: windows[1]!.s,
      end_ms: windows[1]!.e,
    });
    expect(again.json.cached).toBe(true);
    expect(again.json.words).toEqual(parts[1]!.words);

    const merged = mergeWindowAnalyses(parts, 'lw2whole', 'en');
    expect(merged.duration_ms).toBe(parts.at(-1)!.end_ms);
    // Each cut joined back into one pause around it.
    for (const cut of cuts) expect(merged.pauses.some((p) => p.s < cut - 200 && p.e > cut + 200)).toBe(true);
    const werSplit = wordErrorRate(plain(unsplit.words), plain(merged.words));
    const werRef = wordErrorRate(reference, plain(merged.words));
    const werWhole = wordErrorRate(reference, plain(unsplit.words));
    console.log(
      `windows ${windows.length}, cuts ${cuts.map((c) => (c / 1000).toFixed(1)).join(', ')} s; ` +
        `split vs unsplit WER ${(werSplit * 100).toFixed(1)}%, vs reference ${(werRef * 100).toFixed(1)}% (unsplit ${(werWhole * 100).toFixed(1)}%)`,
    );
    expect(werSplit).toBeLessThan(0.05);
    expect(werRef).toBeLessThan(werWhole + 0.03);
    // Words in order, none inside another.
    for (let i = 1; i < merged.words.length; i++)
      expect(merged.words[i]!.s).toBeGreaterThanOrEqual(merged.words[i - 1]!.s);
    // The gaps between recordings are pauses in the merged answer too.
    for (let i = 1; i < spans.length; i++) {
      const gap = { s: spans[i - 1]!.e, e: spans[i]!.s };
      const covered = merged.pauses.reduce((n, p) => n + Math.max(0, Math.min(p.e, gap.e) - Math.max(p.s, gap.s)), 0);
      expect(covered / (gap.e - gap.s)).toBeGreaterThan(0.8);
    }
  });

  it('refuses half a range', async () => {
    const res = await fx.call('POST', '/analyse', {
      url: fx.files.url('x.m4a'),
      content_hash: 'halfrange',
      start_ms: 10,
    });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(/end_ms/);
  });
});
