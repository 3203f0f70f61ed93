/**
 * A chunked render end to end: `npm start` with two engines and CHUNK_RENDER_MIN_MS lowered to
 * 4 s, drafts of real clips rendered through the public API. The Worker runs a chunk on each
 * engine, the sound, then the join; the MP4 it serves has the timeline's duration, every frame,
 * and sound. An engine that stops answering mid-chunk (SIGSTOP) costs that chunk a retry on the
 * other engine, and nothing else.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, exec, type RenderStatus, uploadedSession } from './render-fixture.ts';
import { type Stack, startStack } from './stack.ts';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ engineInstances: 2, env: { CHUNK_RENDER_MIN_MS: '4000' } });
});

afterAll(async () => {
  await stack?.stop();
});

async function probe(path: string) {
  const { stdout } = await exec('ffprobe', [
    ...['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_type,nb_read_frames,duration'],
    ...['-show_entries', 'format=duration', '-of', 'json', path],
  ]);
  return JSON.parse(stdout) as {
    streams: { codec_type: string; nb_read_frames?: string; duration?: string }[];
    format: { duration: string };
  };
}

interface PartLine {
  render_id: string;
  part?: string;
  job: string;
}

/** The Worker's "engine job started" lines of one render's parts (job refs are `<job>@<engine url>`). */
function partsStarted(renderId: string): PartLine[] {
  return [...stack.logs().matchAll(/\{"level":"info","msg":"engine job started"[^\n]*\}/g)]
    .map((m) => JSON.parse(m[0]) as PartLine)
    .filter((l) => l.render_id === renderId && l.part);
}
const engineOf = (l: PartLine) => l.job.slice(l.job.indexOf('@') + 1);

async function newSession() {
  const { token, sessionId, mediaId } = await uploadedSession(stack.baseUrl, 'chunked-e2e');
  return { token, sessionId, src: mediaId };
}

/** Until no engine runs or queues anything (the upload's background analysis included), so picks spread. */
async function enginesIdle(): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const busy = await Promise.all(
      stack.engineUrls.map(async (url) => {
        const h = (await (await fetch(`${url}/health`)).json()) as {
          renders: { running: number; queued: number };
          analyses: { running: number; queued: unknown[] };
        };
        return h.renders.running + h.renders.queued + h.analyses.running + h.analyses.queued.length;
      }),
    );
    if (busy.every((n) => n === 0)) return;
    if (Date.now() > deadline) throw new Error(`engines still busy: ${busy.join(', ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function waitFinished(token: string, renderId: string, timeoutMs: number) {
  let status: RenderStatus = { render_id: renderId, status: 'queued', progress: 0 };
  const deadline = Date.now() + timeoutMs;
  while (status.status !== 'done' && status.status !== 'failed') {
    if (Date.now() > deadline) throw new Error(`not finished: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 300));
    status = await api<RenderStatus>(stack.baseUrl, `/api/render/proxy/lambda/${renderId}`, { token });
  }
  return status;
}

async function download(status: RenderStatus) {
  const url = status.url!.startsWith('http') ? status.url! : `${stack.baseUrl}${status.url}`;
  const out = join(await mkdtemp(join(tmpdir(), 'chunked-e2e-')), 'out.mp4');
  await writeFile(out, Buffer.from(await (await fetch(url)).arrayBuffer()));
  return probe(out);
}

describe('chunked render (two local engines)', () => {
  it('renders a chunk on each engine, joins them, and serves an MP4 with every frame and sound', async () => {
    const { token, sessionId, src } = await newSession();
    const draft = {
      v: 1,
      w: 320,
      h: 180,
      fps: 30,
      d: 6000,
      t: [
        {
          id: 'v1',
          tt: 0,
          m: {},
          sg: [
            { id: 'a', src, s: 0, d: 3000, in: 0, m: { fade_out: 400 } },
            { id: 'b', src, s: 3000, d: 3000, in: 0, m: { fade_in: 400 } },
          ],
        },
        { id: 'c1', tt: 7, m: { kind: 'caption' }, sg: [{ id: 'c', text: 'across the seam', s: 2000, d: 2000 }] },
      ],
    };
    const renderId = `render_chunked_${Date.now()}`;
    await enginesIdle();
    await api(stack.baseUrl, '/api/render/proxy/lambda', {
      method: 'POST',
      token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: renderId, sessionId, draft, output: { format: 'mp4', quality: 'high' } }),
    });
    const seen: number[] = [];
    let status: RenderStatus = { render_id: renderId, status: 'queued', progress: 0 };
    const deadline = Date.now() + 240_000;
    while (status.status !== 'done' && status.status !== 'failed') {
      if (Date.now() > deadline) throw new Error(`not finished: ${JSON.stringify(status)}`);
      await new Promise((r) => setTimeout(r, 300));
      status = await api<RenderStatus>(stack.baseUrl, `/api/render/proxy/lambda/${renderId}`, { token });
      seen.push(status.progress);
    }
    expect(status.error, stack.logs().slice(-4000)).toBeUndefined();
    expect(status.status).toBe('done');
    // Progress never went back.
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);

    // Which engine took which part (the Worker's log): the two chunks on two engines.
    const parts = partsStarted(renderId);
    const chunkEngines = parts.filter((p) => p.part?.startsWith('render chunk')).map(engineOf);
    expect(chunkEngines).toHaveLength(2);
    expect(new Set(chunkEngines).size).toBe(2);
    expect(parts.map((p) => p.part).sort()).toEqual([
      'join chunks',
      'render audio',
      'render chunk 1 of 2',
      'render chunk 2 of 2',
    ]);

    const info = await download(status);
    const video = info.streams.find((s) => s.codec_type === 'video')!;
    const audio = info.streams.find((s) => s.codec_type === 'audio');
    expect(Number(video.nb_read_frames)).toBe(180);
    expect(Math.abs(Number(info.format.duration) - 6)).toBeLessThan(0.05);
    expect(audio).toBeDefined();
    expect(Math.abs(Number(audio!.duration) - 6)).toBeLessThan(0.05);
    expect(status.captions?.srt).toBeTruthy();
  }, 300_000);

  it('retries a chunk whose engine stops answering on the other engine; the other chunk runs once', async () => {
    const { token, sessionId, src } = await newSession();
    // 24 s at 720p (8 cuts of the 3 s clip): chunks long enough to stop an engine in the middle of one.
    const sg = Array.from({ length: 8 }, (_, i) => ({ id: `s${i}`, src, s: i * 3000, d: 3000, in: 0 }));
    const draft = { v: 1, w: 1280, h: 720, fps: 30, d: 24_000, t: [{ id: 'v1', tt: 0, m: {}, sg }] };
    const renderId = `render_chunked_stop_${Date.now()}`;
    await enginesIdle();
    await api(stack.baseUrl, '/api/render/proxy/lambda', {
      method: 'POST',
      token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: renderId, sessionId, draft, output: { format: 'mp4', quality: 'high' } }),
    });
    let second: PartLine | undefined;
    const until = Date.now() + 120_000;
    while (!second && Date.now() < until) {
      second = partsStarted(renderId).find((l) => l.part === 'render chunk 2 of 2');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(second, stack.logs().slice(-3000)).toBeDefined();
    const stopped = engineOf(second!);
    // The ready line lists the process groups in start order: engine-1, engine-2, worker.
    const pid = stack.childPids[stack.engineUrls.indexOf(stopped)]!;
    process.kill(-pid, 'SIGSTOP');
    let status: RenderStatus;
    try {
      status = await waitFinished(token, renderId, 280_000);
    } finally {
      process.kill(-pid, 'SIGCONT');
    }
    expect(status.error, stack.logs().slice(-4000)).toBeUndefined();
    expect(status.status).toBe('done');
    const parts = partsStarted(renderId);
    const chunk2 = parts.filter((l) => l.part === 'render chunk 2 of 2');
    expect(chunk2.length).toBeGreaterThanOrEqual(2);
    expect(engineOf(chunk2.at(-1)!)).not.toBe(stopped);
    // What ran on the engine that kept answering ran once.
    for (const name of ['render chunk 1 of 2', 'render audio', 'join chunks']) {
      const runs = parts.filter((l) => l.part === name);
      if (runs.length > 0 && engineOf(runs[0]!) !== stopped) expect(runs, name).toHaveLength(1);
    }
    const info = await download(status);
    expect(Number(info.streams.find((s) => s.codec_type === 'video')!.nb_read_frames)).toBe(720);
    expect(info.streams.some((s) => s.codec_type === 'audio')).toBe(true);
  }, 300_000);
});
