/**
 * A client written only against types generated from GET /openapi.json (openapi-typescript, into
 * ./generated/, by test/node/openapi-client.test.ts) and openapi-fetch: token → session → raw
 * upload → a chat turn through ADK's POST /run → state → render → poll. It is type-checked
 * against the freshly generated types before it runs, so a route whose document lies about a
 * header, a body or a field breaks the build of this file, not just a runtime assertion.
 */
import createClient from 'openapi-fetch';
import type { paths } from './generated/openedit-api.ts';

export interface FlowResult {
  userId: string;
  sessionId: string;
  mediaId: string;
  finalText: string;
  draftVersion: number;
  size: { w: number; h: number };
  render: { status: string; url?: string; shareUrl?: string };
  polls: number;
}

const must = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`${what}: no data`);
  return value;
};

export async function runFlow(baseUrl: string, clip: Uint8Array, pollMs = 1000): Promise<FlowResult> {
  const client = createClient<paths>({ baseUrl });

  const token = await client.POST('/api/auth/anonymous-token', {
    params: { header: { 'X-Client-Id': `openapi-flow-${Date.now()}` } },
  });
  const { token: bearer, user_id: userId } = must(token.data?.data ?? undefined, 'token');
  const headers = { Authorization: `Bearer ${bearer}` };

  const created = await client.POST('/api/tasks/me/with-session/nemo_agent', {
    headers,
    body: { task_name: 'openapi flow', language: 'en' },
  });
  const sid = must(created.data?.data ?? undefined, 'session').session_id;

  const uploaded = await client.PUT('/api/upload-video/nemo_agent/me/{sid}/raw', {
    params: { path: { sid }, header: { 'X-File-Name': 'clip.mp4' } },
    headers: { ...headers, 'Content-Type': 'application/octet-stream' },
    body: clip,
    bodySerializer: (bytes) => bytes,
  });
  const media = must(uploaded.data?.data ?? undefined, `upload (${uploaded.response.status})`).media;
  const mediaId = must(media[0], 'media').media_id;

  const turn = await client.POST('/run', {
    headers: { ...headers, 'Idempotency-Key': `flow-${sid}` },
    body: { appName: 'nemo_agent', sessionId: sid, newMessage: { role: 'user', parts: [{ text: 'make it square' }] } },
  });
  const events = must(turn.data, `run (${turn.response.status})`);
  const last = must(events.at(-1), 'last event');
  const finalText = String(last.content?.parts.at(-1)?.text ?? '');

  const state = await client.GET('/api/state/nemo_agent/me/{sid}/latest', { params: { path: { sid } }, headers });
  const { draft, draft_version: draftVersion } = must(state.data?.data ?? undefined, 'state');

  const renderId = `render_${Date.now()}`;
  const started = await client.POST('/api/render/proxy/lambda', {
    headers,
    body: { id: renderId, sessionId: sid, draft, output: { format: 'mp4', quality: 'low' } },
  });
  must(started.data?.data ?? undefined, `render (${started.response.status}: ${JSON.stringify(started.error)})`);

  let polls = 0;
  for (;;) {
    polls++;
    const polled = await client.GET('/api/render/proxy/lambda/{render_id}', {
      params: { path: { render_id: renderId } },
      headers,
    });
    const view = must(polled.data?.data ?? undefined, 'poll');
    if (view.status === 'done' || view.status === 'failed' || polls > 120)
      return {
        userId,
        sessionId: sid,
        mediaId,
        finalText,
        draftVersion,
        size: { w: draft.w, h: draft.h },
        render: { status: view.status, url: view.url, shareUrl: view.share_url },
        polls,
      };
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * The two other ways in, through the same generated types: multipart (a `{file}` object turned
 * into FormData by the serializer) and tus (201 with Location, then 204 PATCHes). Returns the
 * media ids each produced, in a new session of a new user.
 */
export async function uploadOtherWays(
  baseUrl: string,
  clip: Uint8Array<ArrayBuffer>,
): Promise<{ multipart: string; tus: string }> {
  const client = createClient<paths>({ baseUrl });
  const token = await client.POST('/api/auth/anonymous-token', {
    params: { header: { 'X-Client-Id': `openapi-uploads-${Date.now()}` } },
  });
  const headers = { Authorization: `Bearer ${must(token.data?.data ?? undefined, 'token').token}` };
  const created = await client.POST('/api/tasks/me/with-session/nemo_agent', { headers, body: {} });
  const sid = must(created.data?.data ?? undefined, 'session').session_id;

  const form = await client.POST('/api/upload-video/nemo_agent/me/{sid}', {
    params: { path: { sid } },
    headers,
    body: { file: new Blob([clip], { type: 'video/mp4' }) },
    // The body type is the union of the operation's media types (JSON {url} or multipart {file}).
    bodySerializer: (body) => {
      const fd = new FormData();
      if ('file' in body)
        fd.append('file', body.file instanceof Blob ? body.file : new Blob([body.file as BlobPart]), 'form.mp4');
      return fd;
    },
  });
  const multipart = must(form.data?.data?.media[0], `multipart (${form.response.status})`).media_id;

  const path = { sid };
  const tusCreated = await client.POST('/api/upload-video/nemo_agent/me/{sid}/tus', {
    params: { path, header: { 'Tus-Resumable': '1.0.0', 'Upload-Length': clip.length } },
    headers,
  });
  if (tusCreated.response.status !== 201) throw new Error(`tus create: ${tusCreated.response.status}`);
  const uploadId = must(tusCreated.response.headers.get('Location')?.split('/').pop(), 'Location');
  const half = Math.floor(clip.length / 2);
  let mediaId: string | null = null;
  for (const [from, to] of [
    [0, half],
    [half, clip.length],
  ] as const) {
    const patched = await client.PATCH('/api/upload-video/nemo_agent/me/{sid}/tus/{upload_id}', {
      params: { path: { ...path, upload_id: uploadId }, header: { 'Tus-Resumable': '1.0.0', 'Upload-Offset': from } },
      headers: { ...headers, 'Content-Type': 'application/offset+octet-stream' },
      body: clip.subarray(from, to),
      bodySerializer: (bytes) => bytes,
    });
    if (patched.response.status !== 204) throw new Error(`tus PATCH: ${patched.response.status}`);
    mediaId = patched.response.headers.get('Upload-Media-Id');
  }
  return { multipart, tus: must(mediaId ?? undefined, 'Upload-Media-Id') };
}
