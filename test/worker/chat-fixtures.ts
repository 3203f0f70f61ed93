/** Chat test helpers shared by the /run_sse, retry and ADK tests: a probed clip, SSE parsing. */
import { env } from 'cloudflare:test';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { expect } from 'vitest';
import type { AdkEvent } from '../../src/agent/sse.ts';
import { userStub } from '../../src/durable/user-stub.ts';
import { call } from './helpers.ts';

/** A 10 s 1920×1080 clip with sound, as an upload with a working probe would have left it. */
export async function addClip(userId: string, sessionId: string, mediaId: string, hash: string) {
  const key = `u/${userId}/uploads/${mediaId}.mp4`;
  await env.MEDIA.put(key, new Uint8Array(1024).fill(1));
  await userStub(env, userId).addMedia(
    sessionId,
    {
      media_id: mediaId,
      name: 'talk.mp4',
      kind: 'video',
      mime: 'video/mp4',
      size: 1024,
      r2_key: key,
      content_hash: hash,
    },
    {
      kind: 'video',
      format: 'mp4',
      duration_ms: 10_000,
      width: 1920,
      height: 1080,
      fps: 30,
      rotation: 0,
      video_codec: 'h264',
      audio_codec: 'aac',
      has_audio: true,
    },
  );
}

export function runSse(token: string | undefined, body: unknown, headers: Record<string, string> = {}) {
  return call('/run_sse', {
    method: 'POST',
    token,
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The events of an SSE answer, heartbeats left out. */
export async function events(res: Response) {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const out: AdkEvent[] = [];
  const parser = createParser({
    onEvent: (e: EventSourceMessage) => {
      if (e.event !== 'heartbeat') out.push(JSON.parse(e.data) as AdkEvent);
    },
  });
  parser.feed(await res.text());
  return out;
}

export const message = (text: string) => ({ role: 'user', parts: [{ text }] });

/**
 * ADK's Event.is_final_response() (google/adk-python, src/google/adk/events/event.py) for the
 * events we send: no skip_summarization or long-running tools, so final means no function call,
 * no function response, not partial.
 */
export const isFinalResponse = (e: AdkEvent) =>
  !e.partial && !(e.content?.parts ?? []).some((p) => 'functionCall' in p || 'functionResponse' in p);
