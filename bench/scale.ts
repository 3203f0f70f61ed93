/**
 * Scale benchmark (not a test): one long 1080p timeline rendered whole by 1 engine, then in
 * chunks by 2 and 4 local engine processes through the chunked-render protocol (video parts,
 * the audio part, the join: docs/rendering.md). Prints wall time, speed-up against 1 engine,
 * frame-exact seam checks against the whole render (frame count, no doubled or missing frame,
 * the sound continuous across every seam: decoded), and the CPU time of every part (ffmpeg and
 * ffprobe children of each engine, from /proc), whose sum against the whole render's is the
 * parallel efficiency that predicts the speed-up on separate machines.
 *
 *   npm run bench:scale            (SCALE_SECONDS=150 output length, SCALE_ENGINES=1,2,4)
 */
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startFileServer } from '../engine/test/file-server.ts';
import { type Draft, DraftSchema } from '../src/draft/schema.ts';
import { type ChunkRange, planChunks, timelineFrames } from '../src/draft/slice-draft.ts';
import { signEngineRequest } from '../src/lib/engine-auth.ts';

const exec = promisify(execFile);
const SECRET = 'bench-scale-secret-0123456789abcdef0123456789';
const W = 1920;
const H = 1080;
const FPS = 30;
const OUTPUT_S = Number(process.env.SCALE_SECONDS ?? 150);
const ENGINES = (process.env.SCALE_ENGINES ?? '1,2,4').split(',').map(Number);
const SOURCE_S = 60;
const root = join(import.meta.dirname, '..');

interface Engine {
  url: string;
  pid: number;
  stop(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** One engine process (node + tsx, as `npm run engine`), two render slots (a chunk and the audio part can share one). */
async function startEngine(origin: string, cacheDir: string): Promise<Engine> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'engine/src/main.ts')], {
    env: {
      ...process.env,
      ENGINE_HOST: '127.0.0.1',
      ENGINE_PORT: String(port),
      ENGINE_SECRET: SECRET,
      ENGINE_WORKER_ORIGIN: origin,
      ENGINE_CACHE_DIR: cacheDir,
      ENGINE_MAX_RENDERS: '2',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    const ok = await call(url, 'GET', '/health').then(
      () => true,
      () => false,
    );
    if (ok) return { url, pid: child.pid!, stop: () => child.kill('SIGTERM') };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('engine did not start');
}

async function call(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const text = body === undefined ? '' : JSON.stringify(body);
  const headers = await signEngineRequest(SECRET, method, path, text);
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : text,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** CPU (user + system, ms) of an engine's finished children (ffmpeg, ffprobe), from /proc. */
function childCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10; // cutime + cstime, 10 ms clock ticks
}

/** Starts a job, waits for it; its CPU is what the engine's children used since the engine's last job ended. */
async function job(engine: Engine, body: Record<string, unknown>, cpuMark: Map<number, number>) {
  const t0 = performance.now();
  const { job_id } = (await call(engine.url, 'POST', '/render', body)) as { job_id: string };
  for (;;) {
    const state = (await call(engine.url, 'GET', `/jobs/${job_id}`)) as { status: string; error?: string };
    if (state.status === 'done') break;
    if (state.status === 'failed' || state.status === 'cancelled') throw new Error(`${state.status}: ${state.error}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const now = childCpuMs(engine.pid);
  const cpuMs = now - (cpuMark.get(engine.pid) ?? now);
  cpuMark.set(engine.pid, now);
  return { wallMs: performance.now() - t0, cpuMs };
}

function benchDraft(): Draft {
  const cuts = Array.from({ length: OUTPUT_S / 10 }, (_, i) => ({
    id: `c${i}`,
    src: 'talk',
    s: i * 10_000,
    d: 10_000,
    in: (i * 7000) % (SOURCE_S * 1000 - 10_000),
    m: i % 3 === 1 ? { fade_in: 500, fade_out: 500 } : {},
  }));
  const words = ['every', 'caption', 'here', 'comes', 'from', 'the', 'whole', 'timeline'];
  const captions = Array.from({ length: OUTPUT_S / 5 }, (_, i) => ({
    id: `cap${i}`,
    text: words.join(' '),
    s: i * 5000 + 500,
    d: 4000,
    m: { words: words.map((w, k) => ({ w, s: i * 5000 + 500 + k * 500, e: i * 5000 + 1000 + k * 500 })) },
  }));
  return DraftSchema.parse({
    w: W,
    h: H,
    fps: FPS,
    d: OUTPUT_S * 1000,
    m: { fade_in: 1000, fade_out: 1000 },
    t: [
      { id: 'v', tt: 0, m: {}, sg: cuts },
      {
        id: 'mus',
        tt: 1,
        m: { volume: 0.3 },
        sg: [{ id: 'm', src: 'music', s: 0, d: OUTPUT_S * 1000, m: { loop: true } }],
      },
      { id: 'cap', tt: 7, m: { kind: 'caption' }, sg: captions },
      { id: 'ttl', tt: 7, m: {}, sg: [{ id: 't', text: 'Scale benchmark', s: 0, d: 4000, m: { fade_in: 500 } }] },
    ],
  });
}

/** Gray 96×32 thumbnails of testsrc2's clock corner, one per frame: enough to tell neighbour frames apart. */
async function clockThumbs(path: string): Promise<Buffer[]> {
  const { stdout } = await exec(
    'ffmpeg',
    ['-v', 'error', '-i', path, '-vf', 'crop=660:216:0:0,scale=96:32,format=gray', '-f', 'rawvideo', '-'],
    { encoding: 'buffer', maxBuffer: 1 << 30 },
  );
  const buf = stdout as unknown as Buffer;
  const size = 96 * 32;
  return Array.from({ length: buf.length / size }, (_, i) => buf.subarray(i * size, (i + 1) * size));
}

const mad = (a: Buffer, b: Buffer) => {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
};

async function pcm(path: string): Promise<Float32Array> {
  const { stdout } = await exec(
    'ffmpeg',
    ['-v', 'error', '-i', path, '-vn', '-ac', '1', '-ar', '48000', '-f', 'f32le', '-'],
    {
      encoding: 'buffer',
      maxBuffer: 1 << 30,
    },
  );
  const buf = stdout as unknown as Buffer;
  return new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4);
}

async function countFrames(path: string): Promise<number> {
  const { stdout } = await exec('ffprobe', [
    ...['-v', 'error', '-select_streams', 'v:0', '-count_frames'],
    ...['-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', path],
  ]);
  return Number(stdout.trim());
}

/** Frame count, frames matched to the whole render's around every seam, sound continuous and equal to the whole's. */
async function seamChecks(joined: string, whole: string, chunks: ChunkRange[], total: number) {
  const frames = await countFrames(joined);
  const [j, w] = [await clockThumbs(joined), await clockThumbs(whole)];
  let matched = 0;
  let checked = 0;
  for (const c of chunks.slice(1)) {
    for (let f = c.start_frame - 3; f <= c.start_frame + 3; f++) {
      if (f < 1 || f >= total - 1) continue;
      checked++;
      const same = mad(j[f]!, w[f]!);
      if (same < mad(j[f]!, w[f - 1]!) && same < mad(j[f]!, w[f + 1]!)) matched++;
    }
  }
  const [a, b] = [await pcm(joined), await pcm(whole)];
  let maxDiff = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
  let maxJump = 0;
  let longestSilenceMs = 0;
  for (const c of chunks.slice(1)) {
    const at = Math.round((c.start_frame / FPS) * 48000);
    let run = 0;
    for (let i = at - 4800; i < at + 4800; i++) {
      maxJump = Math.max(maxJump, Math.abs(a[i]! - a[i - 1]!));
      run = Math.abs(a[i]!) < 1e-4 ? run + 1 : 0;
      longestSilenceMs = Math.max(longestSilenceMs, run / 48);
    }
  }
  return { frames, matched, checked, maxDiff, maxJump, longestSilenceMs, samples: a.length - b.length };
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'bench-scale-'));
  const files = await startFileServer(dir);
  const engines: Engine[] = [];
  try {
    console.log(`generating a ${SOURCE_S} s 1920x1080 30 fps source (testsrc2, a tone) and a music bed ...`);
    await exec('ffmpeg', [
      ...['-hide_banner', '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=s=${W}x${H}:r=${FPS}:d=${SOURCE_S}`],
      ...['-f', 'lavfi', '-i', `sine=f=220:r=48000:d=${SOURCE_S}`],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '60', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ac', '2'],
      join(dir, 'talk.mp4'),
    ]);
    await exec('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'sine=f=330:r=48000:d=30',
      '-c:a',
      'aac',
      join(dir, 'music.m4a'),
    ]);
    const draft = benchDraft();
    const total = timelineFrames(draft);
    const inputs = {
      talk: { url: files.url('talk.mp4'), kind: 'video' },
      music: { url: files.url('music.m4a'), kind: 'audio' },
    };
    const maxEngines = Math.max(...ENGINES);
    for (let i = 0; i < maxEngines; i++) engines.push(await startEngine(files.origin, join(dir, `cache-${i}`)));
    const cpuMark = new Map(engines.map((e) => [e.pid, childCpuMs(e.pid)]));
    const save = async (name: string) => {
      await writeFile(join(dir, name), files.puts.get(`/${name}`)!);
      return join(dir, name);
    };
    console.log(
      `timeline: ${OUTPUT_S} s, ${total} frames at ${W}x${H} ${FPS} fps, ${draft.t[0]!.sg.length} cuts, captions, title, fades, music`,
    );
    console.log(`load average at start: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);

    let whole: { wallMs: number; cpuMs: number; path: string } | null = null;
    const rows: string[] = [];
    for (const n of ENGINES) {
      if (n === 1) {
        const r = await job(engines[0]!, { draft, inputs, output: { url: files.url('whole.mp4') } }, cpuMark);
        whole = { ...r, path: await save('whole.mp4') };
        const frames = await countFrames(whole.path);
        console.log(`\n1 engine (whole render): ${s(r.wallMs)} wall, ${s(r.cpuMs)} CPU, ${frames}/${total} frames`);
        rows.push(`| 1 (whole) | ${s(r.wallMs)} | 1.00× | ${s(r.cpuMs)} | 1.00 | ${frames}/${total} | n/a | n/a |`);
        continue;
      }
      const chunks = planChunks(draft, n);
      const t0 = performance.now();
      const tag = `n${n}`;
      const parts = await Promise.all([
        ...chunks.map((c, i) =>
          job(
            engines[i]!,
            { draft, inputs, part: { kind: 'video', ...c }, output: { url: files.url(`${tag}-chunk-${i}.mp4`) } },
            cpuMark,
          ),
        ),
        // The sound on the engine with the last chunk (the shortest wait when chunks are equal).
        job(
          engines[n - 1]!,
          { draft, inputs, part: { kind: 'audio' }, output: { url: files.url(`${tag}-audio.m4a`) } },
          cpuMark,
        ),
      ]);
      for (let i = 0; i < n; i++) await save(`${tag}-chunk-${i}.mp4`);
      await save(`${tag}-audio.m4a`);
      const joinJob = await job(
        engines[0]!,
        {
          draft,
          inputs,
          part: {
            kind: 'join',
            chunks: chunks.map((_, i) => files.url(`${tag}-chunk-${i}.mp4`)),
            audio: files.url(`${tag}-audio.m4a`),
          },
          output: { url: files.url(`${tag}.mp4`) },
        },
        cpuMark,
      );
      const wallMs = performance.now() - t0;
      const joined = await save(`${tag}.mp4`);
      const chunkCpu = parts.slice(0, n).map((p) => p.cpuMs);
      const audioCpu = parts[n]!.cpuMs;
      const cpuMs = chunkCpu.reduce((a, b) => a + b, 0) + audioCpu + joinJob.cpuMs;
      const check = await seamChecks(joined, whole!.path, chunks, total);
      const efficiency = whole!.cpuMs / cpuMs;
      // On n machines like this one, the render takes about as long as its longest chunk (the sound
      // runs beside it) plus the join: the whole render's wall time scaled by CPU shares.
      const predicted = whole!.cpuMs / (Math.max(...chunkCpu) + joinJob.cpuMs);
      console.log(
        `\n${n} engines: ${s(wallMs)} wall (speed-up ${(whole!.wallMs / wallMs).toFixed(2)}×), chunks ${chunks.map((c) => `[${c.start_frame},${c.end_frame})`).join(' ')}`,
      );
      console.log(
        `  CPU: chunks ${chunkCpu.map(s).join(' + ')}, audio ${s(audioCpu)}, join ${s(joinJob.cpuMs)} = ${s(cpuMs)}; efficiency ${efficiency.toFixed(2)} (whole CPU / chunked CPU), predicted speed-up on ${n} machines ${predicted.toFixed(2)}×`,
      );
      console.log(
        `  seams: ${check.frames}/${total} frames; ${check.matched}/${check.checked} frames around the seams match the whole render's same frame (not a neighbour); sound: max difference from the whole render ${check.maxDiff.toExponential(1)}, ${check.samples} samples longer, max sample step ${check.maxJump.toFixed(4)} and longest silence ${check.longestSilenceMs.toFixed(1)} ms within ±100 ms of a seam`,
      );
      rows.push(
        `| ${n} (chunks) | ${s(wallMs)} | ${(whole!.wallMs / wallMs).toFixed(2)}× | ${s(cpuMs)} | ${efficiency.toFixed(2)} | ${check.frames}/${total} | ${check.matched}/${check.checked} | ${predicted.toFixed(2)}× |`,
      );
    }
    console.log(`\nload average at end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
    console.log(
      '\n| engines | wall | speed-up | CPU | CPU efficiency | frames | seam frames matched | predicted speed-up (separate machines) |',
    );
    console.log('|---|---|---|---|---|---|---|---|');
    for (const r of rows) console.log(r);
  } finally {
    for (const e of engines) e.stop();
    await files.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
