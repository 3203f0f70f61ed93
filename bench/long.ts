/**
 * `npm run bench:long`: an hour-long talking clip through the started stack (scripts/start.mjs,
 * as `npm start`): upload → analysis → render, with the wall time of each phase and the peak
 * resident memory of each process (workerd, wrangler, engine node, speech worker, ffmpeg),
 * sampled from /proc every 250 ms. Not a test: it prints figures (docs/performance.md).
 *
 * The clip: Debian's five LibriVox recordings (real speech) joined with 0.6 s gaps over -50 dBFS
 * room tone, then 3 s of silence, looped to LONG_MINUTES (default 60); video 320x180 at 15 fps
 * (testsrc2), so the upload stays small (~100 MB). The edit is "trim the pauses longer than
 * 2 seconds" (one cut per loop: an hour of captions or of every short pause would pass the
 * draft's 500-segment limit, src/draft/limits.ts). The render is the resulting draft at 640x360
 * (a low-resolution draft, same credits as 1080p; set LONG_RENDER_SIZE=1920x1080 for full size)
 * with ENGINE_X264_PRESET=ultrafast, so the run fits in ~15-20 minutes on 2 cores. Two local
 * engines (ENGINE_INSTANCES=2, LONG_ENGINES to change), each speech worker with half the cores.
 *
 *   npm run bench:long                 # 60 minutes
 *   LONG_MINUTES=12 npm run bench:long # a quick run (still analysed in windows: > 10 min)
 */
import { execFile } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { librivoxClip } from '../engine/test/speech.ts';
import { REPO_ROOT, startStack } from '../test/node/stack.ts';
import { type Role, Sampler } from './process-memory.ts';

const exec = promisify(execFile);
const MINUTES = Number(process.env.LONG_MINUTES ?? 60);
const [RENDER_W, RENDER_H] = (process.env.LONG_RENDER_SIZE ?? '640x360').split('x').map(Number) as [number, number];
/** Engines in the local pool (ENGINE_INSTANCES): windows of the analysis go to both at once. */
const ENGINES = Number(process.env.LONG_ENGINES ?? 2);
const SAMPLE_MS = 250;
const CACHE = join(REPO_ROOT, '.bench-cache');

// ---------------------------------------------------------------- the clip

async function makeClip(): Promise<string> {
  mkdirSync(CACHE, { recursive: true });
  const out = join(CACHE, `talk-${MINUTES}min.mp4`);
  if (existsSync(out)) return out;
  const dir = join(CACHE, 'talk-parts');
  mkdirSync(dir, { recursive: true });
  const speech = await librivoxClip(dir, 'unit', { gapS: 0.6, roomToneDb: -50 });
  const unit = join(dir, 'unit-pad.m4a');
  await exec('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-i',
    speech.path,
    '-af',
    'apad=pad_dur=3',
    '-c:a',
    'aac',
    '-b:a',
    '64k',
    unit,
  ]);
  await exec(
    'ffmpeg',
    [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=320x180:r=15', '-stream_loop', '-1', '-i', unit],
      ...['-t', String(MINUTES * 60), '-map', '0:v', '-map', '1:a', '-c:v', 'libx264', '-preset', 'veryfast'],
      ...['-crf', '32', '-g', '150', '-pix_fmt', 'yuv420p', '-c:a', 'copy', '-movflags', '+faststart', out],
    ],
    { maxBuffer: 1 << 24 },
  );
  return out;
}

// ---------------------------------------------------------------- the API

let base = '';
let token = '';
async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await res.json()) as { code: number; message: string; data: T };
  if (json.code !== 0) throw new Error(`${method} ${path}: ${json.code} ${json.message}`);
  return json.data;
}

/** One chat turn; prints its texts (analysis progress included) with the seconds since it started. */
async function chat(sessionId: string, text: string, t0: number): Promise<string[]> {
  const res = await fetch(`${base}/run_sse`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      app_name: 'nemo_agent',
      session_id: sessionId,
      new_message: { role: 'user', parts: [{ text }] },
    }),
  });
  const texts: string[] = [];
  let buf = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buf += Buffer.from(chunk).toString('utf8');
    let i = buf.indexOf('\n\n');
    while (i >= 0) {
      const frame = buf.slice(0, i);
      buf = buf.slice(i + 2);
      i = buf.indexOf('\n\n');
      const data = frame.split('\n').find((l) => l.startsWith('data: '));
      if (!data || data === 'data: ') continue; // heartbeats
      const event = JSON.parse(data.slice(6));
      for (const part of event.content?.parts ?? []) {
        if (part.text) {
          texts.push(part.text);
          console.log(`  [${((Date.now() - t0) / 1000).toFixed(0)} s] ${part.text.split('\n')[0]}`);
        }
      }
      if (event.errorCode) throw new Error(`chat: ${event.errorCode} ${event.errorMessage}`);
    }
  }
  return texts;
}

// ---------------------------------------------------------------- the run

async function main() {
  const tClip = Date.now();
  const clip = await makeClip();
  const bytes = statSync(clip).size;
  console.log(
    `clip: ${MINUTES} min, ${(bytes / 2 ** 20).toFixed(1)} MiB (${clip}), made in ${((Date.now() - tClip) / 1000).toFixed(0)} s`,
  );

  // Each engine's speech worker gets its share of the cores, as separate machines would have them.
  const threads = String(Math.max(1, Math.floor(availableParallelism() / ENGINES)));
  const stack = await startStack({
    env: { ENGINE_X264_PRESET: 'ultrafast', ASR_THREADS: threads },
    engineInstances: ENGINES,
    readyTimeoutMs: 180_000,
  });
  console.log(`stack: ${ENGINES} engine(s), ASR_THREADS=${threads} each`);
  base = stack.baseUrl;
  const sampler = new Sampler(stack.pid, SAMPLE_MS);
  const phases: [string, number][] = [];
  const phase = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    sampler.setPhase(name);
    const t = Date.now();
    console.log(`${name}…`);
    try {
      return await fn();
    } finally {
      phases.push([name, (Date.now() - t) / 1000]);
      console.log(`${name}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
  };
  try {
    token = (
      await (
        await fetch(`${base}/api/auth/anonymous-token`, {
          method: 'POST',
          headers: { 'x-client-id': `bench-long-${Date.now()}` },
        })
      ).json()
    ).data.token as string;
    const userId = token.split('.')[0]!;
    const { session_id } = await api<{ session_id: string }>('POST', '/api/tasks/me/with-session/nemo_agent', {
      task_name: 'long',
    });

    await phase('upload', async () => {
      // node:http on a connection of its own (agent: false): under wrangler dev, a keep-alive
      // socket that carried a large body was later closed mid-response when fetch reused it.
      const answer = await new Promise<string>((resolve, reject) => {
        const req = httpRequest(
          `${base}/api/upload-video/nemo_agent/me/${session_id}/raw`,
          {
            method: 'PUT',
            agent: false,
            headers: { authorization: `Bearer ${token}`, 'content-length': String(bytes), 'x-file-name': 'talk.mp4' },
          },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => {
              body += c;
            });
            res.on('end', () => resolve(body));
          },
        );
        req.on('error', reject);
        createReadStream(clip).pipe(req);
      });
      const json = JSON.parse(answer) as { code: number; message: string };
      if (json.code !== 0) throw new Error(`upload: ${json.code} ${json.message}`);
    });

    // Past 10 free minutes, analysis costs credits (src/lib/cost.ts), and an hour's render more than
    // the 100 starter credits: register (bearer token; the link is in the Worker's log) for 400 more.
    await api('POST', '/api/auth/register', { bind: userId, email: `long-${Date.now()}@example.com` });
    // The Worker's log line arrives through start.mjs's pipe a moment after the answer.
    let link: string | undefined;
    for (let i = 0; i < 100 && !link; i++) {
      link = /"verify_url":"([^"]+)"/.exec(stack.logs())?.[1];
      if (!link) await new Promise((r) => setTimeout(r, 100));
    }
    if (!link) throw new Error('no verification link in the Worker log');
    await fetch(link.replace(/^https?:\/\/[^/]+/, base));
    console.log(`credits: ${JSON.stringify(await api('GET', '/api/credits/balance/simple').catch(() => 'n/a'))}`);

    const t0 = Date.now();
    await phase('analysis + edit', () => chat(session_id, 'trim the pauses longer than 2 seconds', t0));

    const state = await api<{ draft: { w: number; h: number; d: number } & Record<string, unknown> }>(
      'GET',
      `/api/state/nemo_agent/me/${session_id}/latest`,
    );
    const draft = { ...state.draft, w: RENDER_W, h: RENDER_H };
    console.log(
      `draft: ${(state.draft.d / 60_000).toFixed(1)} min after trimming, rendered at ${RENDER_W}x${RENDER_H}`,
    );

    let output = '';
    await phase('render', async () => {
      const renderId = `long_${Date.now()}`;
      await api('POST', '/api/render/proxy/lambda', {
        id: renderId,
        sessionId: session_id,
        draft,
        output: { format: 'mp4', quality: 'low' },
      });
      let shown = -1;
      for (;;) {
        // Polling is idempotent: a dropped keep-alive connection (wrangler dev's proxy) is retried.
        const s = await api<{ status: string; progress: number; url?: string; error?: string }>(
          'GET',
          `/api/render/proxy/lambda/${renderId}`,
        ).catch(async (err) => {
          if (!(err instanceof TypeError)) throw err;
          await new Promise((r) => setTimeout(r, 1000));
          return { status: 'polling', progress: 0 } as {
            status: string;
            progress: number;
            url?: string;
            error?: string;
          };
        });
        const step = Math.floor(s.progress * 10);
        if (step > shown) {
          shown = step;
          console.log(
            `  [${((Date.now() - t0) / 1000).toFixed(0)} s] render ${s.status} ${Math.round(s.progress * 100)}%`,
          );
        }
        if (s.status === 'done') {
          output = s.url!;
          break;
        }
        if (s.status === 'failed') throw new Error(`render failed: ${s.error}`);
        await new Promise((r) => setTimeout(r, 2000));
      }
    });
    const { stdout } = await exec('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'format=duration',
      '-of',
      'csv=p=0',
      output,
    ]);
    console.log(`output: ${(Number(stdout) / 60).toFixed(1)} min (draft ${(state.draft.d / 60_000).toFixed(1)} min)`);
  } finally {
    const peaks = sampler.stop();
    console.log('\nphase                 wall time');
    for (const [name, s] of phases) console.log(`${name.padEnd(22)}${s.toFixed(1).padStart(8)} s`);
    const roles: Role[] = ['workerd', 'wrangler', 'engine', 'speech worker', 'ffmpeg'];
    console.log(`\npeak RSS, MiB: all of a kind together (largest single process)`);
    console.log(`${'phase'.padEnd(18)}${roles.map((r) => r.padStart(16)).join('')}`);
    for (const [name, byRole] of peaks) {
      if (name === 'start') continue;
      const cell = (r: Role) => {
        const p = byRole.get(r) ?? { sum: 0, one: 0 };
        return `${(p.sum / 1024).toFixed(0)} (${(p.one / 1024).toFixed(0)})`.padStart(16);
      };
      console.log(`${name.padEnd(18)}${roles.map(cell).join('')}`);
    }
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
