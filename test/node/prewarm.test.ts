/**
 * Analysis starts when an upload lands: by the time the user asks for a speech edit, the
 * pauses and words are cached, and the chat turn's analysis comes from the cache.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createParser } from 'eventsource-parser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api, exec } from './render-fixture.ts';
import { type Stack, startStack } from './stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function talkingClip(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'openedit-prewarm-'));
  const wav = join(dir, 'speech.wav');
  await exec('espeak-ng', [
    '-v',
    'en-us',
    '-s',
    '150',
    '-m',
    '-w',
    wav,
    'Good morning. <break time="1500ms"/> Let us begin.',
  ]);
  const clip = join(dir, 'talk.mp4');
  await exec('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30', '-i', wav],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', clip],
  ]);
  return clip;
}

it('pre-analyses an upload so the chat turn reads the analysis from the cache', async () => {
  const base = stack.baseUrl;
  const { token } = await api<{ token: string }>(base, '/api/auth/anonymous-token', {
    method: 'POST',
    headers: { 'x-client-id': `prewarm-${Date.now()}` },
  });
  const { session_id } = await api<{ session_id: string }>(base, '/api/tasks/me/with-session/nemo_agent', {
    method: 'POST',
    token,
  });
  const bytes = readFileSync(await talkingClip());
  await api(base, `/api/upload-video/nemo_agent/me/${session_id}/raw`, {
    method: 'PUT',
    token,
    headers: { 'x-file-name': 'talk.mp4', 'content-length': String(bytes.length) },
    body: bytes,
  });

  // The background analysis finishes on its own; poll the session state until it says so.
  let ready = false;
  for (let i = 0; i < 120 && !ready; i++) {
    const state = await api<{ video_infos: { analysis_ready: boolean }[] }>(
      base,
      `/api/state/nemo_agent/me/${session_id}/latest`,
      { token },
    );
    ready = state.video_infos[0]!.analysis_ready;
    if (!ready) await new Promise((r) => setTimeout(r, 500));
  }
  expect(ready, stack.logs().slice(-3000)).toBe(true);

  const res = await fetch(`${base}/run_sse`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      app_name: 'nemo_agent',
      session_id,
      new_message: { role: 'user', parts: [{ text: 'trim the pauses' }] },
    }),
  });
  const responses: { name: string; response: Record<string, unknown> }[] = [];
  const parser = createParser({
    onEvent: (e) => {
      if (!e.data) return;
      const event = JSON.parse(e.data) as { content?: { parts: { functionResponse?: (typeof responses)[0] }[] } };
      for (const p of event.content?.parts ?? []) if (p.functionResponse) responses.push(p.functionResponse);
    },
  });
  parser.feed(await res.text());
  const analysis = responses.find((r) => r.name === 'analyse_media');
  expect(analysis?.response).toMatchObject({ ok: true, cached: true });
  expect(responses.find((r) => r.name === 'trim_pauses')?.response).toMatchObject({ ok: true });
});
