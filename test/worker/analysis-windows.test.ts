/**
 * The Worker's side of long-input analysis: windows merged into one analysis (pure), and the
 * fan-out over a pool of engines (bounded concurrency, a retry elsewhere, progress per window).
 * The engines here are scripted answers to the documented protocol; the engine itself is tested
 * against real speech in engine/test/analyse-windows.test.ts.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { windowKey, windowStore } from '../../src/agent/analysis.ts';
import { MERGE_MIN_PAUSE_MS, mergeWindowAnalyses } from '../../src/agent/analysis-merge.ts';
import { analyseWindows, type EnginePool, planAnalysisWindows } from '../../src/agent/analysis-windows.ts';
import { AnalyseResult } from '../../src/lib/engine-protocol.ts';

const word = (w: string, s: number, e: number) => ({ w, s, e, conf: 0.9, filler: w === 'um' });

/** A window's answer as the engine gives it: source time, edge pauses kept however short. */
function part(start: number, end: number, pauses: { s: number; e: number }[], words: ReturnType<typeof word>[]) {
  return AnalyseResult.parse({
    content_hash: 'h_long_0001',
    duration_ms: end - start,
    pauses,
    speech: [],
    words,
    language: 'en',
    asr_provider: 'whisper',
    cached: false,
    start_ms: start,
    end_ms: end,
  });
}

const WINDOWS = [
  part(0, 10_000, [{ s: 9_400, e: 10_000 }], [word('one', 1_000, 1_500), word('um', 8_000, 8_300)]),
  part(
    10_000,
    20_000,
    [
      { s: 10_000, e: 10_600 },
      { s: 15_000, e: 16_000 },
      { s: 19_900, e: 20_000 },
    ],
    [word('two', 12_000, 12_400)],
  ),
  part(20_000, 26_000, [{ s: 20_000, e: 20_100 }], [word('three', 21_000, 21_500)]),
];

describe('merging window analyses', () => {
  it('joins the halves of each cut pause, keeps every word in order, and has the shape of one analysis', () => {
    const merged = mergeWindowAnalyses([WINDOWS[2]!, WINDOWS[0]!, WINDOWS[1]!], 'h_long_0001', 'en');
    expect(AnalyseResult.parse(merged)).toEqual(merged);
    expect(merged).not.toHaveProperty('start_ms');
    expect(merged.duration_ms).toBe(26_000);
    // 9.4-10.6 s: two halves joined; 19.9-20.1 s: 200 ms joined, shorter than a pause, so speech.
    expect(merged.pauses).toEqual([
      { s: 9_400, e: 10_600 },
      { s: 15_000, e: 16_000 },
    ]);
    expect(200).toBeLessThan(MERGE_MIN_PAUSE_MS);
    expect(merged.speech).toEqual([
      { s: 0, e: 9_400 },
      { s: 10_600, e: 15_000 },
      { s: 16_000, e: 26_000 },
    ]);
    expect(merged.words.map((w) => [w.w, w.s])).toEqual([
      ['one', 1_000],
      ['um', 8_000],
      ['two', 12_000],
      ['three', 21_000],
    ]);
    expect(merged.words[1]!.filler).toBe(true);
    expect(merged.cached).toBe(false);
    expect(
      mergeWindowAnalyses(
        WINDOWS.map((w) => ({ ...w, cached: true })),
        'h',
        'en',
      ).cached,
    ).toBe(true);
  });
});

/** Scripted engines: answer /analyse/windows and /analyse as the engine does; record what was asked of whom. */
function scriptedPool(size: number, opts: { failOnce?: string; failStart?: number } = {}) {
  const calls: { path: string; engine?: string; start?: number }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let failed = false;
  let turn = 0;
  const pool: EnginePool = {
    size,
    pick: async (exclude) => {
      const ids = Array.from({ length: size }, (_, i) => `e${i}`).filter((id) => !exclude.includes(id));
      return ids[turn++ % ids.length];
    },
    post: async (path, json, _timeoutMs, engine) => {
      const body = json as { start_ms?: number; end_ms?: number };
      calls.push({ path, engine, start: body.start_ms });
      if (path === '/analyse/windows')
        return Response.json({
          duration_ms: 26_000,
          windows: WINDOWS.map((w) => ({ s: w.start_ms, e: w.end_ms })),
          pauses: 3,
        });
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 20));
      inFlight--;
      if (engine === opts.failOnce && !failed) {
        failed = true;
        return Response.json({ error: 'the speech worker stopped', retryable: true }, { status: 503 });
      }
      if (body.start_ms === opts.failStart) return Response.json({ error: 'unreadable' }, { status: 422 });
      const w = WINDOWS.find((x) => x.start_ms === body.start_ms)!;
      return Response.json(w);
    },
  };
  return { pool, calls, maxInFlight: () => maxInFlight };
}

describe('analysing windows over a pool of engines', () => {
  const req = { url: 'https://w.example/api/blob/x', content_hash: 'h_long_0001', language: 'en' };

  it('plans, fans out at most one window per engine, reports progress, merges', async () => {
    const { pool, calls, maxInFlight } = scriptedPool(2);
    const plan = await planAnalysisWindows(pool, req, 10_000);
    expect(plan?.windows).toHaveLength(3);
    const progress: string[] = [];
    const merged = await analyseWindows(pool, req, plan!.windows, {
      timeoutMs: 1000,
      onProgress: (done, total) => {
        progress.push(`${done}/${total}`);
      },
    });
    expect(progress).toEqual(['0/3', '1/3', '2/3', '3/3']);
    expect(maxInFlight()).toBe(2);
    const windowCalls = calls.filter((c) => c.path === '/analyse');
    expect(windowCalls.map((c) => c.start).sort((a, b) => a! - b!)).toEqual([0, 10_000, 20_000]);
    expect(new Set(windowCalls.map((c) => c.engine))).toEqual(new Set(['e0', 'e1']));
    expect(merged.words.map((w) => w.w)).toEqual(['one', 'um', 'two', 'three']);
  });

  it('retries a window that failed on one engine on another', async () => {
    const { pool, calls } = scriptedPool(2, { failOnce: 'e0' });
    const merged = await analyseWindows(
      pool,
      req,
      WINDOWS.map((w) => ({ s: w.start_ms!, e: w.end_ms! })),
      {
        timeoutMs: 1000,
      },
    );
    expect(merged.words).toHaveLength(4);
    const first = calls.find((c) => c.engine === 'e0')!;
    const retry = calls.filter((c) => c.start === first.start);
    expect(retry.map((c) => c.engine)).toEqual(['e0', 'e1']);
  });

  it('an engine without /analyse/windows means: analyse the file whole', async () => {
    const pool: EnginePool = {
      size: 1,
      pick: async () => undefined,
      post: async () => Response.json({ error: 'not found' }, { status: 404 }),
    };
    expect(await planAnalysisWindows(pool, req)).toBeNull();
  });

  it('keeps finished windows in R2, so a second attempt asks only for the missing ones', async () => {
    const key = 'u/u_long/analysis/h_long_0001.en.v2.json';
    const store = windowStore(env, key);
    const windows = WINDOWS.map((w) => ({ s: w.start_ms!, e: w.end_ms! }));
    // One engine, one window at a time: the first two finish, the third fails for good.
    const first = scriptedPool(1, { failStart: 20_000 });
    const err = await analyseWindows(first.pool, req, windows, { timeoutMs: 1000, store }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 422 });
    expect(await env.MEDIA.head(windowKey(key, windows[0]!))).not.toBeNull();
    expect(await env.MEDIA.head(windowKey(key, windows[1]!))).not.toBeNull();
    expect(await env.MEDIA.head(windowKey(key, windows[2]!))).toBeNull();
    const second = scriptedPool(1);
    const merged = await analyseWindows(second.pool, req, windows, { timeoutMs: 1000, store });
    expect(second.calls.filter((c) => c.path === '/analyse').map((c) => c.start)).toEqual([20_000]);
    expect(merged.words.map((w) => w.w)).toEqual(['one', 'um', 'two', 'three']);
    expect(windowKey(key, windows[1]!)).toBe('u/u_long/analysis/h_long_0001.en.v2.w10000-20000.json');
  });
});
