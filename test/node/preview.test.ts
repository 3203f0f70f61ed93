/**
 * The proxy preview against the real stack: a 16:9 clip placed by a chat turn, previewed at 360p
 * (ffprobe reads the signed URL), the same version answered from the cache, new versions
 * (9:16, then square) previewed in their shape, undo answered from the cache, and versions past
 * the last three deleted.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, exec, makeClip } from './render-fixture.ts';
import { type Stack, startStack } from './stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

interface PreviewView {
  draft_version: number;
  status: string;
  progress: number;
  width: number;
  height: number;
  url?: string;
  poster_url?: string;
  error?: string;
}

async function say(base: string, token: string, sessionId: string, text: string) {
  const res = await fetch(`${base}/run_sse`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ app_name: 'nemo_agent', session_id: sessionId, new_message: { parts: [{ text }] } }),
  });
  const body = await res.text();
  expect(body, body).not.toContain('errorCode');
}

async function previewUntilDone(base: string, token: string, sid: string) {
  const seen: PreviewView[] = [];
  const started = Date.now();
  for (let i = 0; i < 240; i++) {
    const v = await api<PreviewView>(base, `/api/preview/${sid}`, { method: 'POST', token });
    seen.push(v);
    if (v.status !== 'rendering') {
      console.log(`preview v${v.draft_version} ${v.width}x${v.height}: ${v.status} after ${Date.now() - started} ms`);
      return { v, seen };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`preview still rendering: ${JSON.stringify(seen.at(-1))}`);
}

async function probeUrl(url: string) {
  const { stdout } = await exec('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', url]);
  return JSON.parse(stdout) as {
    streams: { codec_type: string; width?: number; height?: number }[];
    format: { duration: string };
  };
}

it('renders a 360p preview of the current draft, caches it per version, and follows the next edit', async () => {
  const base = stack.baseUrl;
  const { token } = await api<{ token: string }>(base, '/api/auth/anonymous-token', {
    method: 'POST',
    headers: { 'x-client-id': `preview-${Date.now()}` },
  });
  const { session_id: sid } = await api<{ session_id: string }>(base, '/api/tasks/me/with-session/nemo_agent', {
    method: 'POST',
    token,
  });
  // An empty draft has nothing to preview: a 400 that says why.
  const empty = await fetch(`${base}/api/preview/${sid}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  expect(empty.status).toBe(400);
  expect(((await empty.json()) as { message: string }).message).toMatch(/no video yet/);

  const bytes = readFileSync(await makeClip());
  await api(base, `/api/upload-video/nemo_agent/me/${sid}/raw`, {
    method: 'PUT',
    token,
    headers: { 'x-file-name': 'clip.mp4', 'content-length': String(bytes.length) },
    body: bytes,
  });
  await say(base, token, sid, 'add a title "Preview"');
  const first = await previewUntilDone(base, token, sid);
  expect(first.v.status, first.v.error ?? stack.logs().slice(-3000)).toBe('done');
  expect(first.seen[0]!.status).toBe('rendering');
  const p = await probeUrl(first.v.url!);
  expect(p.streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 640, height: 360 });
  expect(Number(p.format.duration)).toBeCloseTo(3, 0);
  // With a poster frame of the same size, for the player to show before it plays.
  const poster = await probeUrl(first.v.poster_url!);
  expect(poster.streams[0]).toMatchObject({ width: 640, height: 360 });
  // No credits were spent.
  expect((await api<{ available: number }>(base, '/api/credits/balance/simple', { token })).available).toBe(100);

  // Same version again: answered at once from storage.
  const again = await api<PreviewView>(base, `/api/preview/${sid}`, { method: 'POST', token });
  expect(again).toMatchObject({ status: 'done', draft_version: first.v.draft_version });

  await say(base, token, sid, 'make it 9:16');
  const tall = await previewUntilDone(base, token, sid);
  expect(tall.v.status, tall.v.error).toBe('done');
  expect(tall.v.draft_version).toBeGreaterThan(first.v.draft_version);
  expect(tall.v).toMatchObject({ width: 360, height: 640 });
  const q = await probeUrl(tall.v.url!);
  expect(q.streams.find((s) => s.codec_type === 'video')).toMatchObject({ width: 360, height: 640 });
  // The previous version stays cached: undo answers at once, with the same file.
  expect((await fetch(first.v.url!)).status).toBe(200);
  await say(base, token, sid, 'make it square');
  const square = await previewUntilDone(base, token, sid);
  expect(square.v).toMatchObject({ status: 'done', width: 360, height: 360 });
  await say(base, token, sid, 'undo');
  const back = await api<PreviewView>(base, `/api/preview/${sid}`, { method: 'POST', token });
  expect(back).toMatchObject({ status: 'done', width: 360, height: 640 });
  expect(new URL(back.url!).pathname).toBe(new URL(tall.v.url!).pathname);
  // Three versions kept per session: a fourth (a new edit after the undo) drops the first one's files.
  expect((await fetch(first.v.url!)).status).toBe(200);
  await say(base, token, sid, 'make it 4:5');
  const portrait = await previewUntilDone(base, token, sid);
  expect(portrait.v).toMatchObject({ status: 'done', width: 360, height: 450 });
  expect((await fetch(first.v.url!)).status).toBe(404);
  expect((await fetch(tall.v.url!)).status).toBe(200);
});
