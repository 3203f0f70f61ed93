/**
 * The share poster the engine writes beside the MP4: a real render of a clip that is black for
 * its first 2.5 s (where a "middle frame" or "first frame" poster would land), decoded back with
 * ffmpeg and judged by its pixels; and its size follows the video's shape (16:9 and 9:16).
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lumaStats, pickFrame } from '../src/render/poster.ts';
import { type Fixture, setUp, waitForJob } from './fixtures.ts';
import { ffmpeg, ffprobeJson } from './media.ts';

const exec = promisify(execFile);
let fx: Fixture;

beforeAll(async () => {
  fx = await setUp();
  // 2.5 s of black, then 1.5 s of test pattern: candidates at 10/25/40/55 % fall on black.
  for (const [name, size] of [
    ['land', '640x360'],
    ['tall', '360x640'],
  ] as const) {
    await ffmpeg(
      ...[
        '-f',
        'lavfi',
        '-i',
        `color=black:s=${size}:r=25:d=2.5`,
        '-f',
        'lavfi',
        '-i',
        `testsrc2=s=${size}:r=25:d=1.5`,
      ],
      ...['-filter_complex', '[0:v][1:v]concat=n=2:v=1:a=0[v]', '-map', '[v]'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', join(fx.dir, `${name}.mp4`)],
    );
  }
});
afterAll(() => fx.close());

/** Grey pixels of a JPEG, decoded by ffmpeg: the statistics a viewer's eye would agree with. */
async function decodeGray(path: string): Promise<Uint8Array> {
  const { stdout } = await exec('ffmpeg', ['-v', 'error', '-i', path, '-vf', 'format=gray', '-f', 'rawvideo', '-'], {
    encoding: 'buffer',
    maxBuffer: 64 << 20,
  });
  return new Uint8Array(stdout);
}

async function renderWithPoster(name: string, w: number, h: number) {
  const start = await fx.call('POST', '/render', {
    draft: { w, h, fps: 25, d: 4000, t: [{ id: 'v', tt: 0, m: {}, sg: [{ id: 's', src: name, s: 0, d: 4000 }] }] },
    inputs: { [name]: { url: fx.files.url(`${name}.mp4`), kind: 'video' } },
    output: { url: fx.files.url(`${name}-out.mp4`), poster_url: fx.files.url(`${name}-poster.jpg`) },
    preset: 'ultrafast',
  });
  expect(start.status, JSON.stringify(start.json)).toBe(202);
  const job = await waitForJob(fx, start.json.job_id);
  expect(job.status, job.error).toBe('done');
  await writeFile(join(fx.dir, `${name}-out.check.mp4`), fx.files.puts.get(`/${name}-out.mp4`)!);
  const jpeg = fx.files.puts.get(`/${name}-poster.jpg`);
  expect(jpeg, 'the engine PUT a poster').toBeDefined();
  const path = join(fx.dir, `${name}-poster.check.jpg`);
  await writeFile(path, jpeg!);
  return path;
}

describe('share poster', () => {
  it('is a JPEG of a lit, detailed frame, not the black opening (16:9, full size)', async () => {
    const path = await renderWithPoster('land', 640, 360);
    const probe = await ffprobeJson(path);
    expect(probe.streams[0]).toMatchObject({ codec_name: 'mjpeg', width: 640, height: 360 });
    // The candidates (10/25/40/55/70 % of 4 s at 25 fps) were encoded as keyframes: reading one decodes one frame.
    const { stdout } = await exec('ffprobe', [
      ...['-v', 'error', '-select_streams', 'v', '-skip_frame', 'nokey'],
      ...['-show_entries', 'frame=pts_time', '-of', 'csv=p=0', join(fx.dir, 'land-out.check.mp4')],
    ]);
    expect(stdout.trim().split('\n').map(Number)).toEqual(expect.arrayContaining([0.4, 1, 1.6, 2.2, 2.8]));
    const stats = lumaStats(await decodeGray(path));
    // testsrc2 is colourful with sharp edges: bright on average and far from flat. Black is mean 16, stddev 0.
    expect(stats.mean).toBeGreaterThan(60);
    expect(stats.stddev).toBeGreaterThan(30);
  });

  it('keeps a 9:16 video tall', async () => {
    const path = await renderWithPoster('tall', 360, 640);
    const probe = await ffprobeJson(path);
    expect(probe.streams[0]).toMatchObject({ width: 360, height: 640 });
    expect(lumaStats(await decodeGray(path)).mean).toBeGreaterThan(60);
  });

  it('picks by statistics: detail in the lit band first, the brightest when every frame is dark', () => {
    const black = { mean: 16, stddev: 0 };
    const flat = { mean: 120, stddev: 3 };
    const busy = { mean: 110, stddev: 50 };
    const white = { mean: 250, stddev: 60 };
    expect(
      pickFrame([
        { frame: 0, ...black },
        { frame: 1, ...flat },
        { frame: 2, ...busy },
        { frame: 3, ...white },
      ]),
    ).toBe(2);
    expect(
      pickFrame([
        { frame: 0, ...black },
        { frame: 1, mean: 20, stddev: 9 },
      ]),
    ).toBe(1);
    expect(lumaStats(new Uint8Array([0, 0, 255, 255]))).toEqual({ mean: 127.5, stddev: 127.5 });
  });
});
