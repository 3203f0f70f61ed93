/**
 * 200 cuts of one 720p clip, rendered by real ffmpeg from the engine's plan: one decode shared by
 * all segments, so ffmpeg's peak memory stays bounded (measured by /usr/bin/time), the output
 * has the timeline's duration and frame count, and each segment shows its own source moment (the gray level numbers the source's frames).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRender } from '../src/render/build-render.ts';
import { renderToFile, setUp } from './fixtures.ts';
import { durationMs, ffmpeg, grayCrop, mean, meanVolumeDb, silences } from './media.ts';

const exec = promisify(execFile);
const N = 200;
const FPS = 30;
/** Measured 2026-11-30: see docs/security.md. A decoder per segment needed gigabytes. */
const PEAK_RSS_LIMIT_MB = 250;

let dir: string;
let source: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'render-shared-'));
  source = join(dir, 'talk.mp4');
  await ffmpeg(
    // The picture's gray level tells the source frame: 4 levels a frame (wrapping every 64 frames).
    ...['-f', 'lavfi', '-i', `color=c=black:s=64x36:r=${FPS},geq=lum='mod(N*4,256)':cb=128:cr=128,scale=1280x720`],
    ...['-f', 'lavfi', '-i', 'sine=f=440:r=48000'],
    ...['-t', '31', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '60', '-pix_fmt', 'yuv420p'],
    ...['-c:a', 'aac', '-ac', '2', source],
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('many segments of one source', () => {
  it(`renders ${N} cuts with one decode, bounded memory, exact duration and the right pictures`, async () => {
    // Keep 100 ms of every 150 ms: the shape of "trim the pauses" on a long, fast talk.
    const sg = Array.from({ length: N }, (_, i) => ({ id: `s${i}`, src: 'm', s: i * 100, d: 100, in: i * 150, m: {} }));
    const draft = { v: 1, w: 1280, h: 720, fps: FPS, d: N * 100, t: [{ id: 'v', tt: 0 as const, m: {}, sg }] };
    const out = join(dir, 'out.mp4');
    const plan = buildRender(draft as never, {
      inputs: new Map([['m', { url: source, kind: 'video', hasAudio: true, durationMs: 31_000, audioChannels: 2 }]]),
      tmpDir: dir,
      fontsDir: dir,
      fonts: { latin: '', cjk: '' },
      preset: 'ultrafast',
      outputPath: out,
    });
    expect(plan.args.filter((a) => a === '-i')).toHaveLength(1);
    for (const f of plan.files) await writeFile(f.path, f.content);

    const { stderr } = await exec(
      '/usr/bin/time',
      ['-f', 'peak_rss_kb=%M', 'ffmpeg', '-hide_banner', '-nostdin', '-v', 'error', ...plan.args],
      {
        maxBuffer: 64 << 20,
      },
    );
    const peakMb = Number(/peak_rss_kb=(\d+)/.exec(stderr)![1]) / 1024;
    console.log(`ffmpeg peak RSS for ${N} cuts of one 720p source: ${peakMb.toFixed(0)} MB`);
    expect(peakMb).toBeLessThan(PEAK_RSS_LIMIT_MB);

    expect(Math.abs((await durationMs(out, 'v')) - N * 100)).toBeLessThanOrEqual(1000 / FPS);
    expect(Math.abs((await durationMs(out, 'a')) - N * 100)).toBeLessThanOrEqual(25);
    const { stdout } = await exec('ffprobe', [
      ...['-v', 'error', '-select_streams', 'v:0', '-count_frames', '-show_entries', 'stream=nb_read_frames'],
      ...['-of', 'csv=p=0', out],
    ]);
    expect(Number(stdout.trim())).toBe((N * 100 * FPS) / 1000);

    // Segment k at timeline k×100 ms shows the source at k×150 ms (k chosen away from the wrap).
    const crop: [number, number, number, number] = [0, 0, 1280, 720];
    for (const k of [10, 50, 123, 190]) {
      const got = mean(await grayCrop(out, k * 0.1 + 0.04, crop));
      const want = mean(await grayCrop(source, k * 0.15 + 0.04, crop));
      const halfSecondLater = mean(await grayCrop(source, k * 0.15 + 0.54, crop));
      expect(Math.abs(got - want), `segment ${k}: ${got} vs ${want}`).toBeLessThan(10);
      expect(Math.abs(got - halfSecondLater)).toBeGreaterThan(40);
    }
  });

  it('through the engine API: 400 cuts (the per-source cap) in two speeds, over http, graph in a script file', async () => {
    const fx = await setUp();
    try {
      await ffmpeg(
        ...['-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=25', '-f', 'lavfi', '-i', 'sine=f=300:r=48000'],
        ...['-t', '61', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '50', '-c:a', 'aac', '-ac', '1'],
        join(fx.dir, 'long.mp4'),
      );
      // Even cuts at normal speed, odd ones at 1.5×: two forward runs, two decodes.
      const sg = Array.from({ length: 400 }, (_, i) => ({
        id: `s${i}`,
        src: 'long',
        s: i * 100,
        d: 100,
        in: i * 150,
        m: i % 2 ? { speed: 1.5 } : {},
      }));
      const draft = { w: 320, h: 240, fps: 25, d: 40_000, t: [{ id: 'v', tt: 0 as const, m: {}, sg }] };
      const inputs = { long: { url: fx.files.url('long.mp4'), kind: 'video' } };
      const output = { url: fx.files.url('many.mp4') };
      // The plan this draft gets (pure): two inputs, and a graph too long for one argument.
      const plan = buildRender({ v: 1, ...draft } as never, {
        inputs: new Map([['long', { url: 'x', kind: 'video', hasAudio: true, durationMs: 61_000, audioChannels: 1 }]]),
        ...{ tmpDir: fx.dir, fontsDir: fx.dir, fonts: { latin: '', cjk: '' }, preset: 'ultrafast', outputPath: 'o' },
      });
      expect(plan.args.filter((a) => a === '-i')).toHaveLength(2);
      expect(plan.args).toContain('-filter_complex_script');
      const { path } = await renderToFile(fx, { draft, inputs, output, preset: 'ultrafast' }, 'many');
      expect(Math.abs((await durationMs(path, 'v')) - 40_000)).toBeLessThanOrEqual(40);
      expect(Math.abs((await durationMs(path, 'a')) - 40_000)).toBeLessThanOrEqual(25);
      // The mono tone is on both sides at full level all the way (no silent or missing cut).
      expect(await meanVolumeDb(path)).toBeGreaterThan(-25);
      expect(await silences(path, -50, 0.05)).toEqual([]);
    } finally {
      await fx.close();
    }
  });
});
