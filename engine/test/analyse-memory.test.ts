/**
 * Memory bounded whatever the length: finding the analysis windows of a 30-minute recording
 * streams the decoded audio through the energy meter, so the engine's resident memory grows by
 * far less than the 57.6 MB of its 16 kHz PCM (sampled from /proc while the request runs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyseWindowsResult } from '../../src/lib/engine-protocol.ts';
import { type Fixture, setUp } from './fixtures.ts';
import { ffmpeg } from './media.ts';

const CLIP_S = 30 * 60;
/** s16 mono 16 kHz: what holding the whole decode would cost. */
const PCM_BYTES = CLIP_S * 16_000 * 2;

let fx: Fixture;
beforeAll(async () => {
  fx = await setUp();
});
afterAll(async () => {
  await fx.close();
});

/**
 * Collected garbage, so that RSS shows what is held, not the pipe's spent buffers that V8 has not
 * yet got round to freeing (measured without it: anything from 4 to 34 MiB for the same run).
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const rssBytes = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;

describe('long inputs in bounded memory', () => {
  it('finds the windows of a 30-minute recording without holding its audio', async () => {
    // 7 s of tone, 3 s of silence, for 30 minutes (AAC, mono).
    await ffmpeg(
      ...['-f', 'lavfi', '-i', `sine=f=220:d=${CLIP_S}:sample_rate=16000`],
      ...['-af', "volume='if(lt(mod(t,10),7),0.5,0)':eval=frame", '-ac', '1', '-c:a', 'aac', '-b:a', '32k'],
      join(fx.dir, 'long.m4a'),
    );
    gc();
    const before = rssBytes();
    let peak = before;
    const timer = setInterval(() => {
      gc();
      peak = Math.max(peak, rssBytes());
    }, 50);
    const res = await fx.call('POST', '/analyse/windows', {
      url: fx.files.url('long.m4a'),
      content_hash: 'long30min',
      window_ms: 300_000,
    });
    clearInterval(timer);
    peak = Math.max(peak, rssBytes());
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const plan = AnalyseWindowsResult.parse(res.json);
    expect(Math.abs(plan.duration_ms - CLIP_S * 1000)).toBeLessThan(200);
    expect(plan.windows.length).toBeGreaterThanOrEqual(6);
    // Every cut in the middle of a 3 s silence (7.0-10.0 s of each 10 s), windows at most 5 minutes.
    for (const w of plan.windows.slice(1)) expect(w.s % 10_000).toBeGreaterThan(7_500);
    for (const w of plan.windows.slice(1)) expect(w.s % 10_000).toBeLessThan(9_500);
    for (const w of plan.windows) expect(w.e - w.s).toBeLessThanOrEqual(300_000);
    const grownMiB = (peak - before) / 2 ** 20;
    console.log(
      `30 min windows: RSS grew ${grownMiB.toFixed(1)} MiB (whole PCM ${(PCM_BYTES / 2 ** 20).toFixed(1)} MiB)`,
    );
    // Holding the decode would add all of it; streaming leaves only the pipe's garbage awaiting collection.
    expect(peak - before).toBeLessThan(PCM_BYTES / 3);
  });
});
