/**
 * A chunked render end to end: `npm start` with two engines and CHUNK_RENDER_MIN_MS lowered to
 * 4 s, a 6 s draft (two cuts of a real clip, captions) rendered through the public API. The
 * Worker runs a chunk on each engine, the sound, then the join; the MP4 it serves has the
 * timeline's duration, every frame, and sound.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, exec, makeClip, type RenderStatus } from './render-fixture.ts';
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

describe('chunked render (two local engines)', () => {
  it('renders a chunk on each engine, joins them, and serves an MP4 with every frame and sound', async () => {
    const base = stack.baseUrl;
    const { token } = await api<{ token: string }>(base, '/api/auth/anonymous-token', {
      method: 'POST',
      headers: { 'x-client-id': `chunked-e2e-${Date.now()}` },
    });
    const { session_id } = await api<{ session_id: string }>(base, '/api/tasks/me/with-session/nemo_agent', {
      method: 'POST',
      token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ task_name: 'project', language: 'en' }),
    });
    const bytes = readFileSync(await makeClip());
    const uploaded = await api<{ media: { media_id: string }[] }>(
      base,
      `/api/upload-video/nemo_agent/me/${session_id}/raw`,
      {
        method: 'PUT',
        token,
        headers: { 'x-file-name': 'clip.mp4', 'content-type': 'video/mp4', 'content-length': String(bytes.length) },
        body: bytes,
      },
    );
    const src = uploaded.media[0]!.media_id;
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
        {
          id: 'c1',
          tt: 7,
          m: { kind: 'caption' },
          sg: [{ id: 'c', text: 'across the seam', s: 2000, d: 2000 }],
        },
      ],
    };
    const renderId = `render_chunked_${Date.now()}`;
    await api(base, '/api/render/proxy/lambda', {
      method: 'POST',
      token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: renderId, sessionId: session_id, draft, output: { format: 'mp4', quality: 'high' } }),
    });
    const seen: number[] = [];
    let status: RenderStatus = { render_id: renderId, status: 'queued', progress: 0 };
    const deadline = Date.now() + 240_000;
    while (status.status !== 'done' && status.status !== 'failed') {
      if (Date.now() > deadline) throw new Error(`not finished: ${JSON.stringify(status)}`);
      await new Promise((r) => setTimeout(r, 300));
      status = await api<RenderStatus>(base, `/api/render/proxy/lambda/${renderId}`, { token });
      seen.push(status.progress);
    }
    expect(status.error, stack.logs().slice(-4000)).toBeUndefined();
    expect(status.status).toBe('done');
    // Progress never went back.
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);

    // Which engine took which part (the Worker's log): the two chunks on two engines.
    const parts = [...stack.logs().matchAll(/\{"level":"info","msg":"engine job started"[^\n]*\}/g)]
      .map((m) => JSON.parse(m[0]) as { render_id: string; part?: string; job: string })
      .filter((l) => l.render_id === renderId);
    const chunkEngines = parts.filter((p) => p.part?.startsWith('render chunk')).map((p) => p.job.split('@')[1]);
    expect(chunkEngines).toHaveLength(2);
    expect(new Set(chunkEngines).size).toBe(2);
    expect(parts.map((p) => p.part).sort()).toEqual([
      'join chunks',
      'render audio',
      'render chunk 1 of 2',
      'render chunk 2 of 2',
    ]);

    const url = status.url!.startsWith('http') ? status.url! : `${base}${status.url}`;
    const dir = await mkdtemp(join(tmpdir(), 'chunked-e2e-'));
    const out = join(dir, 'out.mp4');
    await writeFile(out, Buffer.from(await (await fetch(url)).arrayBuffer()));
    const info = await probe(out);
    const video = info.streams.find((s) => s.codec_type === 'video')!;
    const audio = info.streams.find((s) => s.codec_type === 'audio');
    expect(Number(video.nb_read_frames)).toBe(180);
    expect(Math.abs(Number(info.format.duration) - 6)).toBeLessThan(0.05);
    expect(audio).toBeDefined();
    expect(Math.abs(Number(audio!.duration) - 6)).toBeLessThan(0.05);
    expect(status.captions?.srt).toBeTruthy();
  }, 300_000);
});
