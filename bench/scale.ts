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
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startFileServer } from '../engine/test/file-server.ts';
import { type Draft, DraftSchema } from '../src/draft/schema.ts';
import { planChunks, timelineFrames } from '../src/draft/slice-draft.ts';
import { childCpuMs, type Engine, job, startEngine } from './scale-engines.ts';
import { countFrames, seamChecks } from './scale-seams.ts';

const exec = promisify(execFile);
const W = 1920;
const H = 1080;
const FPS = 30;
const OUTPUT_S = Number(process.env.SCALE_SECONDS ?? 150);
const ENGINES = (process.env.SCALE_ENGINES ?? '1,2,4').split(',').map(Number);
const SOURCE_S = 60;

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
            chunk_urls: chunks.map((_, i) => files.url(`${tag}-chunk-${i}.mp4`)),
            audio_url: files.url(`${tag}-audio.m4a`),
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
      const check = await seamChecks(joined, whole!.path, chunks, total, FPS);
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
