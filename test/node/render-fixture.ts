/**
 * Node-side render helpers: a real short clip (ffmpeg lavfi), uploaded through the raw PUT
 * route, rendered by the real engine through the Worker's render API.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RenderStatusView } from '../../src/render/status-schema.ts';

export const exec = promisify(execFile);

export interface Envelope<T> {
  code: number;
  message: string;
  data: T;
}

export async function api<T>(baseUrl: string, path: string, init: RequestInit & { token?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  const res = await fetch(`${baseUrl}${path}`, { ...init, headers });
  const body = (await res.json()) as Envelope<T>;
  if (body.code !== 0) throw new Error(`${init.method ?? 'GET'} ${path} → ${res.status} ${JSON.stringify(body)}`);
  return body.data;
}

/** A 3 s 1280×720 30 fps clip with a tone: testsrc2 + sine, H.264/AAC. */
export async function makeClip(dir = mkdtempSync(join(tmpdir(), 'openedit-clip-'))): Promise<string> {
  const path = join(dir, 'clip.mp4');
  await exec('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30:duration=3'],
    ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=3'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', path],
  ]);
  return path;
}

/** The poll answer (src/render/status-schema.ts); `created_at` and the rest come once polled. */
/** A new user with a session holding the test clip, uploaded by raw PUT. */
export async function uploadedSession(
  baseUrl: string,
  clientPrefix: string,
): Promise<{ token: string; userId: string; sessionId: string; mediaId: string }> {
  const { token, user_id } = await api<{ token: string; user_id: string }>(baseUrl, '/api/auth/anonymous-token', {
    method: 'POST',
    headers: { 'x-client-id': `${clientPrefix}-${Date.now()}-${Math.random().toString(36).slice(2)}` },
  });
  const { session_id } = await api<{ session_id: string }>(baseUrl, '/api/tasks/me/with-session/nemo_agent', {
    method: 'POST',
    token,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ task_name: 'project', language: 'en' }),
  });
  const bytes = readFileSync(await makeClip());
  const uploaded = await api<{ media: { media_id: string }[] }>(
    baseUrl,
    `/api/upload-video/nemo_agent/me/${session_id}/raw`,
    {
      method: 'PUT',
      token,
      headers: { 'x-file-name': 'clip.mp4', 'content-type': 'video/mp4', 'content-length': String(bytes.length) },
      body: bytes,
    },
  );
  return { token, userId: user_id, sessionId: session_id, mediaId: uploaded.media[0]!.media_id };
}

export type RenderStatus = Pick<RenderStatusView, 'render_id' | 'status' | 'progress'> & Partial<RenderStatusView>;

export interface RenderedClip {
  token: string;
  userId: string;
  sessionId: string;
  renderId: string;
  status: RenderStatus;
  progressSeen: number[];
}

export async function renderClip(
  baseUrl: string,
  opts: {
    title?: string;
    webhookUrl?: string;
    timeoutMs?: number;
    size?: { w: number; h: number };
    /** Runs once the render is accepted, before polling (e.g. to kill the engine mid-render). */
    afterStart?: () => Promise<void>;
    /** Runs once the clip is uploaded, before the render is asked for (e.g. to start renders together). */
    beforeRender?: () => Promise<void>;
  } = {},
): Promise<RenderedClip> {
  const { token, userId, sessionId: session_id, mediaId } = await uploadedSession(baseUrl, 'render-e2e');
  const draft = {
    v: 1,
    // Another shape than the clip's 16:9 crops it to fill (the draft's default fit).
    w: opts.size?.w ?? 1280,
    h: opts.size?.h ?? 720,
    fps: 30,
    d: 3000,
    m: { title: opts.title ?? 'Render e2e' },
    t: [
      { id: 'v1', tt: 0, m: { name: 'test pattern' }, sg: [{ id: 's1', src: mediaId, s: 0, d: 3000, in: 0 }] },
      {
        id: 'c1',
        tt: 7,
        m: { name: 'Captions', kind: 'caption' },
        sg: [
          { id: 'c1a', text: 'Hello there', s: 0, d: 1500, m: { pos: 'bottom' } },
          { id: 'c1b', text: 'General Kenobi', s: 1500, d: 1500, m: { pos: 'bottom' } },
        ],
      },
    ],
  };
  await opts.beforeRender?.();
  const renderId = `render_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  const started = await api<Pick<RenderStatusView, 'render_id' | 'status'>>(baseUrl, '/api/render/proxy/lambda', {
    method: 'POST',
    token,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      id: renderId,
      sessionId: session_id,
      draft,
      output: { format: 'mp4', quality: 'high' },
      ...(opts.webhookUrl ? { webhook_url: opts.webhookUrl } : {}),
    }),
  });
  await opts.afterStart?.();
  const progressSeen: number[] = [];
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  let status: RenderStatus = { render_id: started.render_id, status: started.status, progress: 0 };
  while (status.status !== 'done' && status.status !== 'failed') {
    if (Date.now() > deadline) throw new Error(`render did not finish in time: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 300));
    status = await api<RenderStatus>(baseUrl, `/api/render/proxy/lambda/${renderId}`, { token });
    progressSeen.push(status.progress);
  }
  return { token, userId, sessionId: session_id, renderId, status, progressSeen };
}
