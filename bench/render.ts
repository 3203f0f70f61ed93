/**
 * Render benchmark (not a test): a 30 s 1080p talking clip, edited as "trim the pauses, add
 * captions, make it 9:16", rendered through the engine's HTTP API and through one hand-written
 * ffmpeg command doing the same work, in the same run. Prints engine/floor and realtime factor.
 *
 *   npm run bench:render            (ROUNDS=3 to repeat; the best of each side is compared)
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serve } from '@hono/node-server';
import { createApp } from '../engine/src/app.ts';
import { loadConfig } from '../engine/src/config.ts';
import { runFfmpeg } from '../engine/src/ffmpeg/run-ffmpeg.ts';
import { buildAss, captionLayout } from '../engine/src/render/captions/ass.ts';
import { captionEvents } from '../engine/src/render/captions/caption-events.ts';
import { startFileServer } from '../engine/test/file-server.ts';
import type { DraftInput } from '../src/draft/schema.ts';
import { TextSegmentSchema } from '../src/draft/schema.ts';
import { TrackType } from '../src/draft/track-type.ts';
import { signEngineRequest } from '../src/lib/engine-auth.ts';
import type { AnalyseResult } from '../src/lib/engine-protocol.ts';

const exec = promisify(execFile);
/** The bench starts its own engine, so any secret will do; requests are signed as the Worker signs them. */
const BENCH_SECRET = 'bench-render-secret-0123456789abcdef0123456789';
const W = 1080;
const H = 1920;
const FPS = 30;
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SCRIPT = [
  'Welcome back to the channel. Today we are editing a short video on a laptop.',
  'First we find the pauses in the recording and cut them out.',
  'Then we add captions, so people can follow along without sound.',
  'Finally we turn the picture to portrait for phones.',
  'The whole edit happens in one pass of the encoder.',
  'Thanks for watching, and see you next time.',
].join(' <break time="1300ms"/> ');

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'bench-render-'));
  const files = await startFileServer(dir);
  const cfg = loadConfig({ ...process.env, ENGINE_CACHE_DIR: join(dir, 'cache') });
  const app = createApp(cfg, { auth: { secret: BENCH_SECRET, workerOrigin: files.origin } });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((r) => server.once('listening', r));
  const engine = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    console.log('generating a 30 s 1080p30 talking clip (espeak-ng over testsrc2) ...');
    await exec('espeak-ng', [
      '-v',
      'en-us',
      '-s',
      '150',
      '-m',
      '-w',
      join(dir, 'voice.wav'),
      `<speak>${SCRIPT}</speak>`,
    ]);
    await exec('ffmpeg', [
      ...['-hide_banner', '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=s=1920x1080:r=${FPS}`],
      ...['-i', join(dir, 'voice.wav'), '-af', 'apad', '-t', '30'],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-g', '60', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ar', '48000'],
      join(dir, 'talk.mp4'),
    ]);

    const t0 = performance.now();
    const analysis = (await post(`${engine}/analyse`, {
      url: files.url('talk.mp4'),
      content_hash: 'bench-talk',
      language: 'en',
    })) as AnalyseResult;
    const analyseMs = performance.now() - t0;
    const draft = draftFromAnalysis(analysis);
    const keptMs = draft.d;
    console.log(
      `analysis: ${analysis.pauses.length} pauses, ${analysis.speech.length} speech intervals, ${analysis.words.length} words in ${(analyseMs / 1000).toFixed(1)} s; output ${(keptMs / 1000).toFixed(2)} s`,
    );

    // The floor: the same cuts, crop, captions and encode, written by hand as one ffmpeg command.
    const assPath = join(dir, 'floor.ass');
    const captionTrack = draft.t.find((t) => t.tt === TrackType.text)!;
    const segments = captionTrack.sg.map((s) => {
      const seg = TextSegmentSchema.parse(s);
      return { seg, events: captionEvents(seg, captionLayout(W, H).maxChars) };
    });
    await writeFile(assPath, buildAss(segments, captionLayout(W, H)));
    const floorArgs = floorCommand(join(dir, 'talk.mp4'), analysis.speech, assPath, join(dir, 'floor.mp4'));

    const engineTimes: number[] = [];
    const floorTimes: number[] = [];
    const engineCpu: number[] = [];
    const floorCpu: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const e0 = performance.now();
      const c0 = childCpuMs();
      const { job_id } = (await post(`${engine}/render`, {
        draft,
        inputs: { talk: { url: files.url('talk.mp4'), kind: 'video' } },
        output: { url: files.url(`out-${round}.mp4`), srt_url: files.url('out.srt'), vtt_url: files.url('out.vtt') },
        preset: 'veryfast',
      })) as { job_id: string };
      for (;;) {
        const path = `/jobs/${job_id}`;
        const headers = await signEngineRequest(BENCH_SECRET, 'GET', path, '');
        const job = (await (await fetch(`${engine}${path}`, { headers })).json()) as { status: string; error?: string };
        if (job.status === 'done') break;
        if (job.status === 'failed' || job.status === 'cancelled')
          throw new Error(`engine render ${job.status}: ${job.error}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      engineTimes.push(performance.now() - e0);
      engineCpu.push(childCpuMs() - c0);
      const f0 = performance.now();
      const c1 = childCpuMs();
      await runFfmpeg(floorArgs);
      floorTimes.push(performance.now() - f0);
      floorCpu.push(childCpuMs() - c1);
      console.log(
        `round ${round + 1}: engine ${s(engineTimes.at(-1)!)} wall, ${s(engineCpu.at(-1)!)} CPU;  floor ${s(floorTimes.at(-1)!)} wall, ${s(floorCpu.at(-1)!)} CPU`,
      );
    }
    await writeFile(join(dir, 'engine.mp4'), files.puts.get('/out-0.mp4')!);
    const outDur = await durationS(join(dir, 'engine.mp4'));
    const floorDur = await durationS(join(dir, 'floor.mp4'));
    const engineBest = Math.min(...engineTimes);
    const floorBest = Math.min(...floorTimes);
    const engineCpuBest = Math.min(...engineCpu);
    const floorCpuBest = Math.min(...floorCpu);
    console.log('');
    console.log(
      `output: ${outDur.toFixed(3)} s (floor ${floorDur.toFixed(3)} s), ${W}x${H}, from a 30 s 1920x1080 source`,
    );
    console.log(
      `engine render (POST /render to done, incl. input probe and upload): ${s(engineBest)} wall, ${s(engineCpuBest)} CPU`,
    );
    console.log(
      `hand-written ffmpeg floor:                                     ${s(floorBest)} wall, ${s(floorCpuBest)} CPU`,
    );
    console.log(`engine/floor (wall, best of ${ROUNDS}): ${(engineBest / floorBest).toFixed(3)} (target <= 1.10)`);
    console.log(
      `engine/floor (CPU of ffmpeg/ffprobe children, insensitive to other load): ${(engineCpuBest / floorCpuBest).toFixed(3)}`,
    );
    console.log(
      `realtime factor: ${(30_000 / engineBest).toFixed(2)}x source time, ${((outDur * 1000) / engineBest).toFixed(2)}x output time`,
    );
  } finally {
    server.close();
    await files.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Speech intervals back to back on a 9:16 timeline, with one caption segment per interval. */
function draftFromAnalysis(a: AnalyseResult): DraftInput {
  let cursor = 0;
  const video = [];
  const captions = [];
  for (const [i, iv] of a.speech.entries()) {
    const d = iv.e - iv.s;
    const words = a.words
      .filter((w) => w.s >= iv.s - 50 && w.e <= iv.e + 50 && !w.filler)
      .map((w) => ({ w: w.w, s: cursor + Math.max(0, w.s - iv.s), e: cursor + Math.min(d, w.e - iv.s) }));
    video.push({ id: `v${i}`, src: 'talk', s: cursor, d, in: iv.s, m: { fit: 'cover' as const } });
    if (words.length) captions.push({ id: `c${i}`, text: words.map((w) => w.w).join(' '), s: cursor, d, m: { words } });
    cursor += d;
  }
  return {
    w: W,
    h: H,
    fps: FPS,
    d: cursor,
    t: [
      { id: 'video', tt: TrackType.video, m: {}, sg: video },
      { id: 'captions', tt: TrackType.text, m: { kind: 'caption' }, sg: captions },
    ],
  };
}

function floorCommand(src: string, speech: { s: number; e: number }[], ass: string, out: string): string[] {
  const parts = speech.map(
    (iv, i) =>
      `[0:v]trim=start=${iv.s / 1000}:end=${iv.e / 1000},setpts=PTS-STARTPTS[v${i}];` +
      `[0:a]atrim=start=${iv.s / 1000}:end=${iv.e / 1000},asetpts=PTS-STARTPTS[a${i}]`,
  );
  const pads = speech.map((_, i) => `[v${i}][a${i}]`).join('');
  const graph =
    `${parts.join(';')};${pads}concat=n=${speech.length}:v=1:a=1[cv][ca];` +
    `[cv]scale=${W}:${H}:force_original_aspect_ratio=increase,crop=${W}:${H},setsar=1,` +
    `ass=${ass}:fontsdir=/usr/share/fonts/truetype/dejavu[vout]`;
  return [
    ...['-y', '-i', src, '-filter_complex', graph, '-map', '[vout]', '-map', '[ca]'],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-pix_fmt', 'yuv420p'],
    ...['-c:a', 'aac', '-b:a', '160k', '-ar', '48000', '-ac', '2', '-movflags', '+faststart', out],
  ];
}

async function post(url: string, body: unknown): Promise<unknown> {
  const text = JSON.stringify(body);
  const signed = await signEngineRequest(BENCH_SECRET, 'POST', new URL(url).pathname, text);
  const res = await fetch(url, {
    method: 'POST',
    headers: { ...signed, 'content-type': 'application/json' },
    body: text,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function durationS(path: string): Promise<number> {
  const { stdout } = await exec('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path]);
  return Number(stdout.trim());
}

/** CPU time (user + system) of this process's finished children, from /proc (Linux): ffmpeg and ffprobe. */
function childCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10; // cutime + cstime, in 10 ms clock ticks
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
