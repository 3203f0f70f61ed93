/**
 * A chunked render against a whole one, both by real ffmpeg through the engine's job API: the
 * timeline rendered whole, and as 3 video chunks + the audio part + the join. Same frame count, the
 * same picture at every frame (a moving test pattern: a doubled or missing frame shifts every later
 * one and drops the PSNR far below an encode-to-encode difference), captions, a title, segment
 * fades and the draft's fade crossing seams render as in the whole render, and the sound is the
 * whole render's, continuous across the seams (no gap, no click).
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Draft, type DraftInput, DraftSchema } from '../../src/draft/schema.ts';
import { type ChunkRange, planChunks, sliceDraft, timelineFrames } from '../../src/draft/slice-draft.ts';
import { buildRender } from '../src/render/build-render.ts';
import { concatList } from '../src/render/run-join.ts';
import { type Fixture, setUp, waitForJob } from './fixtures.ts';
import { ffmpeg, grayFrames, meanAbsDiff, pcmMono48k } from './media.ts';

const exec = promisify(execFile);
const FPS = 25;
const W = 320;
const H = 180;

let fx: Fixture;
beforeAll(async () => {
  fx = await setUp({ ENGINE_MAX_RENDERS: '2' });
  await ffmpeg(
    ...['-f', 'lavfi', '-i', `testsrc2=s=${W}x${H}:r=${FPS}:d=12`],
    ...['-f', 'lavfi', '-i', 'sine=f=300:r=48000:d=12'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '50', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ac', '2'],
    join(fx.dir, 'src.mp4'),
  );
  await ffmpeg('-f', 'lavfi', '-i', 'sine=f=440:r=48000:d=12', '-c:a', 'aac', join(fx.dir, 'music.m4a'));
  await ffmpeg(
    ...['-f', 'lavfi', '-i', `testsrc2=s=${W}x${H}:r=30:d=12`, '-f', 'lavfi', '-i', 'sine=f=300:r=48000:d=12'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '60', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ac', '2'],
    join(fx.dir, 'src30.mp4'),
  );
}, 60_000);
afterAll(() => fx.close());

const caption = (s: number, d: number, words: string[]) => ({
  id: `c${s}`,
  text: words.join(' '),
  s,
  d,
  m: { words: words.map((w, i) => ({ w, s: s + (i * d) / words.length, e: s + ((i + 1) * d) / words.length })) },
});

/** 7 s: two cuts of one clip, fades crossing the seams, captions and a title across them, music under all. */
const draft = DraftSchema.parse({
  w: W,
  h: H,
  fps: FPS,
  d: 7000,
  m: { fade_in: 2800 },
  t: [
    {
      id: 'v',
      tt: 0,
      m: {},
      sg: [
        { id: 'a', src: 'src', s: 0, d: 3000, in: 0 },
        { id: 'b', src: 'src', s: 3000, d: 4000, in: 4000, m: { fade_in: 600, fade_out: 2500 } },
      ],
    },
    { id: 'mus', tt: 1, m: { volume: 0.5 }, sg: [{ id: 'm1', src: 'music', s: 0, d: 7000 }] },
    {
      id: 'cap',
      tt: 7,
      m: { kind: 'caption' },
      sg: [caption(1500, 1700, ['one', 'two', 'three', 'four']), caption(4200, 1200, ['five', 'six', 'seven'])],
    },
    { id: 'ttl', tt: 7, m: {}, sg: [{ id: 't1', text: 'Title', s: 4000, d: 1500, m: { fade_in: 1000 } }] },
  ],
} satisfies DraftInput);

const inputs = () => ({
  src: { url: fx.files.url('src.mp4'), kind: 'video' },
  src30: { url: fx.files.url('src30.mp4'), kind: 'video' },
  music: { url: fx.files.url('music.m4a'), kind: 'audio' },
});

/** Runs one job to `done` and stores what it PUT at `name` in the served folder (so a join can GET it). */
async function run(d: Draft, body: Record<string, unknown>, name: string) {
  const start = await fx.call('POST', '/render', { draft: d, inputs: inputs(), preset: 'veryfast', ...body });
  expect(start.status, JSON.stringify(start.json)).toBe(202);
  const job = await waitForJob(fx, start.json.job_id, 120_000);
  expect(job.status, job.error).toBe('done');
  const path = join(fx.dir, name);
  await writeFile(path, fx.files.puts.get(`/${name}`)!);
  return { job, path };
}

async function frameCount(path: string): Promise<number> {
  const { stdout } = await exec('ffprobe', [
    ...['-v', 'error', '-select_streams', 'v:0', '-count_frames'],
    ...['-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', path],
  ]);
  return Number(stdout.trim());
}

/** PSNR of each frame of `a` against the same frame of `b` (Y plane, dB; identical = 100). */
async function framePsnr(a: string, b: string): Promise<number[]> {
  const stats = join(fx.dir, `psnr-${Math.random().toString(36).slice(2)}.log`);
  await ffmpeg('-i', a, '-i', b, '-lavfi', `[0:v][1:v]psnr=stats_file=${stats}`, '-f', 'null', '-');
  const { readFile } = await import('node:fs/promises');
  return (await readFile(stats, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => {
      const y = /psnr_y:(\S+)/.exec(line)![1]!;
      return y === 'inf' ? 100 : Number(y);
    });
}

/** The top left 110×36 (testsrc2's clock) of every frame, gray. */
const clockCrops = (path: string) => grayFrames(path, 'crop=110:36:0:0', 110, 36);

/** Renders `d` whole and in `n` chunks + audio + join, and checks the two agree (see the file comment). */
async function compareChunked(d: Draft, n: number | ChunkRange[], tag: string) {
  const chunks = typeof n === 'number' ? planChunks(d, n) : n;
  expect(chunks).toHaveLength(typeof n === 'number' ? n : n.length);
  const total = chunks.at(-1)!.end_frame;
  expect(total).toBe(timelineFrames(d));
  const seams = chunks.slice(1).map((c) => c.start_frame);

  const whole = await run(
    d,
    { output: { url: fx.files.url(`${tag}-whole.mp4`), srt_url: fx.files.url(`${tag}-whole.srt`) } },
    `${tag}-whole.mp4`,
  );
  const parts = await Promise.all([
    ...chunks.map((c, i) =>
      run(
        d,
        { part: { kind: 'video', ...c }, output: { url: fx.files.url(`${tag}-chunk-${i}.mp4`) } },
        `${tag}-chunk-${i}.mp4`,
      ),
    ),
    run(d, { part: { kind: 'audio' }, output: { url: fx.files.url(`${tag}-audio.m4a`) } }, `${tag}-audio.m4a`),
  ]);
  chunks.forEach((c, i) => {
    expect(parts[i]!.job.output.frames).toBe(c.end_frame - c.start_frame);
  });
  const joined = await run(
    d,
    {
      part: {
        kind: 'join',
        chunk_urls: chunks.map((_, i) => fx.files.url(`${tag}-chunk-${i}.mp4`)),
        audio_url: fx.files.url(`${tag}-audio.m4a`),
      },
      output: {
        url: fx.files.url(`${tag}-joined.mp4`),
        srt_url: fx.files.url(`${tag}-joined.srt`),
        poster_url: fx.files.url(`${tag}-p.jpg`),
      },
    },
    `${tag}-joined.mp4`,
  );
  expect(joined.job.output).toMatchObject({ frames: total, duration_ms: d.d, captions: true });

  // Frame count, decoded.
  for (const [i, c] of chunks.entries()) expect(await frameCount(parts[i]!.path)).toBe(c.end_frame - c.start_frame);
  expect(await frameCount(whole.path)).toBe(total);
  expect(await frameCount(joined.path)).toBe(total);

  // The same picture at every frame. Chunks are separate encodes (x264 decides frame types and
  // bits looking ahead, so even chunk 1 differs from the whole render's encode after a few
  // frames), so frames are compared by PSNR: two encodes of one frame agree above 30 dB, and each
  // frame of the joined render is closer to the whole render's same frame than to its
  // neighbours there (a doubled or missing frame would shift every later one).
  const aligned = await framePsnr(joined.path, whole.path);
  // Neighbours are told apart on testsrc2's clock in the top left corner, which changes every
  // frame (elsewhere much of the pattern stands still, more so under a half-faded overlay), by
  // mean absolute difference (PSNR is dominated by a few encoder-noise pixels on the digits' edges).
  const [jc, wc] = [await clockCrops(joined.path), await clockCrops(whole.path)];
  expect(aligned).toHaveLength(total);
  const worst = Math.min(...aligned);
  expect(worst, `worst frame ${aligned.indexOf(worst)}`).toBeGreaterThan(30);
  let told = 0;
  for (let f = 1; f < total - 1; f++) {
    // Where the whole render's own neighbours look alike (dark frames of a fade), no encode can tell them apart.
    if (meanAbsDiff(wc[f]!, wc[f + 1]!) < 1 || meanAbsDiff(wc[f]!, wc[f - 1]!) < 1) continue;
    told++;
    const same = meanAbsDiff(jc[f]!, wc[f]!);
    expect(same, `frame ${f} vs the whole render's ${f + 1}`).toBeLessThan(meanAbsDiff(jc[f]!, wc[f + 1]!));
    expect(same, `frame ${f} vs the whole render's ${f - 1}`).toBeLessThan(meanAbsDiff(jc[f]!, wc[f - 1]!));
  }
  expect(told, 'frames whose neighbours differ').toBeGreaterThan(0.5 * total);
  // Around each seam (the draft's fade-in, a segment fade-out, captions and the title cross
  // them) the frames agree as well as anywhere else.
  for (const seam of seams)
    for (let f = seam - 2; f <= seam + 2; f++) expect(aligned[f]!, `frame ${f}`).toBeGreaterThan(35);

  // Captions: the same files.
  expect(fx.files.puts.get(`/${tag}-joined.srt`)!.toString()).toBe(fx.files.puts.get(`/${tag}-whole.srt`)!.toString());
  expect(fx.files.puts.get(`/${tag}-p.jpg`)!.length).toBeGreaterThan(500);

  // Sound: the whole render's (one AAC encode of the same mix), continuous across the seams.
  const [a, b] = [await pcmMono48k(joined.path), await pcmMono48k(whole.path)];
  expect(Math.abs(a.length - b.length)).toBeLessThan(48);
  let maxDiff = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
  expect(maxDiff).toBeLessThan(1e-4);
  for (const seam of seams) {
    const at = Math.round((seam / d.fps) * 48000);
    const around = a.subarray(at - 2400, at + 2400); // ±50 ms
    let jump = 0;
    let silentRun = 0;
    let longestSilence = 0;
    for (let i = 1; i < around.length; i++) {
      jump = Math.max(jump, Math.abs(around[i]! - around[i - 1]!));
      silentRun = Math.abs(around[i]!) < 1e-4 ? silentRun + 1 : 0;
      longestSilence = Math.max(longestSilence, silentRun);
    }
    // Two sines (300 and 440 Hz, amplitude under 0.2 here): a sample-to-sample step of at most
    // ~0.01; a click is a step of the signal's size. A gap would be a run of zeros.
    expect(jump, `seam at frame ${seam}`).toBeLessThan(0.05);
    expect(longestSilence, `seam at frame ${seam}`).toBeLessThan(10);
  }
}

describe('chunked render', () => {
  it('3 chunks + audio + join give the whole render: every frame, the same pictures, continuous sound', async () => {
    await compareChunked(draft, 3, 'a');
  }, 240_000);

  it('at 30 fps: seams inside cuts of one shared decode and inside a fading overlay, off whole milliseconds', async () => {
    // 10 cuts of one source (one shared decode), 600 ms each: 6 s, 180 frames. An overlay
    // fading in over 1.5 s from 1 s to 3 s shows both layers at the first seam.
    const cuts = Array.from({ length: 10 }, (_, i) => ({
      id: `k${i}`,
      src: 'src30',
      s: i * 600,
      d: 600,
      in: i * 1000,
    }));
    const d30 = DraftSchema.parse({
      w: W,
      h: H,
      fps: 30,
      d: 6000,
      t: [
        { id: 'v', tt: 0, m: {}, sg: cuts },
        { id: 'o', tt: 0, m: {}, sg: [{ id: 'ov', src: 'src30', s: 1000, d: 2000, in: 9000, m: { fade_in: 1500 } }] },
        { id: 'cap', tt: 7, m: { kind: 'caption' }, sg: [caption(3000, 1000, ['eight', 'nine'])] },
      ],
    } satisfies DraftInput);
    // Frame 50 is 1666.67 ms (inside cut 2 and the overlay's fade), 100 is 3333.33 ms (inside cut 5, under a caption).
    await compareChunked(
      d30,
      [
        { start_frame: 0, end_frame: 50 },
        { start_frame: 50, end_frame: 100 },
        { start_frame: 100, end_frame: 180 },
      ],
      'b',
    );
  }, 240_000);

  it('refuses parts that cannot be rendered: a window past the timeline, captions on a part, a draft window', async () => {
    const call = (body: Record<string, unknown>) =>
      fx.call('POST', '/render', { draft, inputs: inputs(), output: { url: fx.files.url('x.mp4') }, ...body });
    const past = await call({ part: { kind: 'video', start_frame: 100, end_frame: 176 } });
    expect(past.status).toBe(400);
    expect(past.json.error).toMatch(/part.end_frame: the timeline has 175 frames/);
    const empty = await call({ part: { kind: 'video', start_frame: 100, end_frame: 100 } });
    expect(empty.status).toBe(400);
    const srt = await call({
      part: { kind: 'audio' },
      output: { url: fx.files.url('x.m4a'), srt_url: fx.files.url('x.srt') },
    });
    expect(srt.status).toBe(400);
    expect(srt.json.error).toMatch(/writes only output.url/);
    const windowed = await call({ draft: { ...draft, m: { window: { start_frame: 0, end_frame: 10 } } } });
    expect(windowed.status).toBe(400);
    expect(windowed.json.error).toMatch(/draft.m.window: only a chunked render sets it/);
  });

  it('plans a video part as the window of the whole timeline and the audio part without any picture', () => {
    const opts = {
      inputs: new Map([
        [
          'src',
          {
            url: 'http://127.0.0.1:9/src.mp4',
            kind: 'video' as const,
            hasAudio: true,
            durationMs: 12_000,
            audioChannels: 2,
          },
        ],
        [
          'music',
          {
            url: 'http://127.0.0.1:9/m.m4a',
            kind: 'audio' as const,
            hasAudio: true,
            durationMs: 12_000,
            audioChannels: 2,
          },
        ],
      ]),
      tmpDir: '/tmp/job',
      fontsDir: '/fonts',
      fonts: { latin: '', cjk: '' },
      preset: 'veryfast',
      outputPath: '/tmp/job/out.mp4',
    };
    const video = buildRender(sliceDraft(draft, 117, 175), { ...opts, part: 'video' });
    // Stamped as frames 117… of the whole timeline while captions, titles and fades run, from 0 for the encoder.
    expect(video.graph).toContain('settb=1/25,setpts=PTS+117[');
    expect(video.graph).toMatch(/fade=t=in:st=0:d=2\.800,format=yuv420p,setpts=PTS-STARTPTS\[vout\d+\]$/);
    // Segment b (frames 75..175) is cut at frame 117, 42 frames in: its fades keep their phase.
    expect(video.graph).toContain('setpts=PTS+round(42/(25*TB)),fade=t=in:st=0:d=0.600,fade=t=out:st=1.500:d=2.500');
    expect(video.args).toEqual(expect.arrayContaining(['-an', '-frames:v', '58']));
    expect(video.args.join(' ')).not.toMatch(/aout|-c:a/);
    expect(video.args.filter((a) => a === '-i')).toHaveLength(1); // b's rest only: no music, no segment a
    expect(video.durationMs).toBeCloseTo(2320, 6);
    expect(video.args).toEqual(expect.arrayContaining(['-ss', '5.680000'])); // b's in-point 4000 + 42 frames
    const audio = buildRender(draft, { ...opts, part: 'audio' });
    expect(audio.graph).not.toMatch(/scale=|ass=|fps=/);
    expect(audio.args).toEqual(expect.arrayContaining(['-vn', '-c:a', 'aac', '-t', '7.000']));
    expect(audio.args).not.toContain('-movflags');
  });

  it('writes the concat list with each path quoted for the demuxer', () => {
    expect(concatList(['/tmp/a/chunk-0.mp4', "/tmp/it's/chunk-1.mp4"])).toBe(
      "ffconcat version 1.0\nfile '/tmp/a/chunk-0.mp4'\nfile '/tmp/it'\\''s/chunk-1.mp4'\n",
    );
  });
});
