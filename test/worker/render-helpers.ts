import { env, introspectWorkflowInstance } from 'cloudflare:test';
import { expect } from 'vitest';
import { userStub } from '../../src/durable/user-stub.ts';
import { renderInstanceId } from '../../src/lib/storage-keys.ts';
import { renderKeys } from '../../src/render/render-keys.ts';
import { RenderStatusView } from '../../src/render/status-schema.ts';
import { call, json, userWithSession } from './helpers.ts';

/** Render tests: a user with a session holding one uploaded clip (row + object), as an upload leaves it. */
export async function userWithClip(mediaId = 'med_clip01') {
  const u = await userWithSession();
  const key = `u/${u.user_id}/uploads/${mediaId}.mp4`;
  const bytes = new Uint8Array(4096).fill(7);
  await env.MEDIA.put(key, bytes, { httpMetadata: { contentType: 'video/mp4' } });
  await userStub(env, u.user_id).addMedia(
    u.session_id,
    {
      media_id: mediaId,
      name: 'clip.mp4',
      kind: 'video',
      mime: 'video/mp4',
      size: bytes.length,
      r2_key: key,
      content_hash: null,
    },
    null,
  );
  return { ...u, mediaId };
}

export function draftOf(mediaId: string, durationMs = 10_000, extra: Record<string, unknown> = {}) {
  return {
    v: 1,
    w: 1080,
    h: 1920,
    fps: 30,
    d: durationMs,
    t: [{ id: 'v1', tt: 0, m: { name: 'city walk' }, sg: [{ id: 's1', src: mediaId, s: 0, d: durationMs, in: 0 }] }],
    ...extra,
  };
}

export function postRender(token: string, body: Record<string, unknown>) {
  return call('/api/render/proxy/lambda', {
    method: 'POST',
    token,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export interface PollData {
  render_id: string;
  status: string;
  progress: number;
  url?: string;
  share_url?: string;
  poster_url?: string;
  expires_at?: number;
  error?: string;
}

export async function poll(token: string, renderId: string) {
  return json<PollData>(await call(`/api/render/proxy/lambda/${encodeURIComponent(renderId)}`, { token }));
}

/** What the engine would have written: an MP4-ish object at the render's output key. */
export async function fakeEngineOutput(userId: string, renderId: string, bytes = 2048) {
  await env.MEDIA.put(renderKeys(userId, renderId, false).out, new Uint8Array(bytes).fill(1), {
    httpMetadata: { contentType: 'video/mp4' },
  });
}

export const doneJob = (durationMs: number, size = 2048) => ({
  job_id: 'job_1',
  status: 'done',
  progress: 1,
  output: { size, duration_ms: durationMs, captions: false },
});

export async function introspect(userId: string, renderId: string) {
  return introspectWorkflowInstance(env.RENDER_WORKFLOW, await renderInstanceId(userId, renderId));
}

export async function expectBalanced(userId: string) {
  const b = await userStub(env, userId).balance();
  expect(b.available + b.frozen + b.spent).toBe(b.granted);
  return b;
}

export async function ledgerFor(userId: string, ref: string) {
  return (await userStub(env, userId).ledger()).filter((r) => r.ref === ref).map((r) => [r.kind, r.amount]);
}

/** A user whose render `renderId` finished (engine steps mocked, output object in R2). */
export async function userWithDoneRender(
  renderId = 'render_share_1',
  draftExtra: Record<string, unknown> = {},
  opts: { poster?: boolean } = {},
) {
  const u = await userWithClip();
  await fakeEngineOutput(u.user_id, renderId);
  // The engine writes the poster best effort; a test may have it or not.
  if (opts.poster) {
    await env.MEDIA.put(renderKeys(u.user_id, renderId, false).poster, new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2]), {
      httpMetadata: { contentType: 'image/jpeg' },
    });
  }
  await using wf = await introspect(u.user_id, renderId);
  await wf.modify(async (m) => {
    await m.disableSleeps();
    await m.mockStepResult({ name: 'start engine job' }, 'job_1');
    await m.mockStepResult({ name: 'poll engine 1' }, doneJob(10_000));
  });
  const res = await postRender(u.token, {
    id: renderId,
    sessionId: u.session_id,
    draft: draftOf(u.mediaId, 10_000, draftExtra),
  });
  expect((await json(res)).code).toBe(0);
  await wf.waitForStatus('complete');
  const p = await poll(u.token, renderId);
  expect(p.data.status).toBe('done');
  // The answer is exactly the one published render-status schema: no field more, none mistyped.
  expect(RenderStatusView.strict().parse(p.data)).toEqual(p.data);
  return { ...u, renderId, status: p.data };
}
