/**
 * A small stand-in for the service's public API (node:http, in-process) so the CLI's own tests
 * run without the stack: it speaks the envelope, bearer tokens, raw/multipart upload, SSE and
 * render polling as docs/api.md describes. The real thing is exercised by test/node/e2e.test.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeOptions {
  /** Answer the raw PUT route with a 404 "no route", as a service without it would. */
  noRawRoute?: boolean;
  /** Reject the first authenticated call with 1001 (an expired token). */
  expireFirstToken?: boolean;
  /** Credits left: 0 makes the render answer 2001. */
  credits?: number;
  renderFails?: boolean;
  /** The agent renders within the turn (as it does for "…and export"), reporting a `render` tool result. */
  agentExports?: boolean;
}

export interface Upload {
  route: 'raw' | 'multipart';
  contentLength: number;
  bytes: number;
  fileName: string;
}

export interface FakeService {
  url: string;
  mints: number;
  uploads: Upload[];
  messages: string[];
  renders: unknown[];
  close(): Promise<void>;
}

const send = (res: ServerResponse, status: number, code: number, message: string, data: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ code, message, data }));
};

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function startFakeService(opts: FakeOptions = {}): Promise<FakeService> {
  const tokens = new Set<string>();
  let expired = !opts.expireFirstToken;
  const polls = new Map<string, number>();
  const state: FakeService = { url: '', mints: 0, uploads: [], messages: [], renders: [], close: async () => {} };
  const draft = {
    v: 1,
    w: 1920,
    h: 1080,
    fps: 30,
    d: 7000,
    t: [{ id: 'v1', tt: 0, m: { name: 'talk' }, sg: [{ id: 's1', src: 'med_1', s: 0, d: 7000, in: 0 }] }],
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const p = url.pathname;
    if (req.method === 'POST' && p === '/api/auth/anonymous-token') {
      if (!req.headers['x-client-id']) return send(res, 400, 400, 'Missing X-Client-Id', null);
      const token = `u_fake.${++state.mints}.${'x'.repeat(40)}`;
      tokens.add(token);
      return send(res, 200, 0, 'ok', {
        token,
        user_id: 'u_fake',
        credits: 100,
        expires_at: Date.now() + 7 * 86400_000,
      });
    }
    if (p.startsWith('/files/')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': '11' });
      return res.end(p.endsWith('.srt') ? '1\n00:00:00,000 --> 00:00:01,000\nhello\n'.slice(0, 11) : 'MP4DATA0123');
    }
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !tokens.has(token)) return send(res, 401, 1001, 'Token expired', null);
    if (!expired) {
      expired = true;
      tokens.delete(token);
      await body(req);
      return send(res, 401, 1001, 'Token expired', null);
    }
    if (req.method === 'POST' && p === '/api/tasks/me/with-session/nemo_agent') {
      return send(res, 200, 0, 'ok', { session_id: 'ses_1', task_id: 'task_1' });
    }
    if (req.method === 'GET' && p === '/api/credits/balance/simple')
      return send(res, 200, 0, 'ok', { available: opts.credits ?? 100, frozen: 0, total: opts.credits ?? 100 });
    if (p.startsWith('/api/upload-video/nemo_agent/me/')) {
      const raw = p.endsWith('/raw');
      if (raw && opts.noRawRoute) {
        await body(req);
        return send(res, 404, 404, `No route for PUT ${p}`, null);
      }
      const b = await body(req);
      state.uploads.push({
        route: raw ? 'raw' : 'multipart',
        contentLength: Number(req.headers['content-length']),
        bytes: b.length,
        fileName: raw
          ? String(req.headers['x-file-name'])
          : (/filename="([^"]+)"/.exec(b.subarray(0, 500).toString())?.[1] ?? ''),
      });
      return send(res, 200, 0, 'ok', {
        media: [
          {
            media_id: 'med_1',
            name: 'talk.mp4',
            kind: 'video',
            size: b.length,
            duration_ms: 10000,
            width: 1280,
            height: 720,
            fps: 25,
            has_audio: true,
          },
        ],
      });
    }
    if (req.method === 'POST' && p === '/run_sse') {
      const msg = JSON.parse((await body(req)).toString()) as { new_message: { parts: { text: string }[] } };
      state.messages.push(msg.new_message.parts[0]!.text);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const ev = (o: unknown) => res.write(`data: ${JSON.stringify(o)}\n\n`);
      ev({
        id: 'e1',
        author: 'nemo_agent',
        content: { role: 'model', parts: [{ functionCall: { id: 'c1', name: 'trim_pauses', args: {} } }] },
      });
      res.write('event: heartbeat\ndata:\n\n');
      ev({
        id: 'e2',
        author: 'nemo_agent',
        content: {
          role: 'user',
          parts: [{ functionResponse: { id: 'c1', name: 'trim_pauses', response: { ok: true } } }],
        },
      });
      if (opts.agentExports) {
        ev({
          id: 'r1',
          author: 'nemo_agent',
          content: { role: 'model', parts: [{ functionCall: { id: 'c2', name: 'render', args: {} } }] },
        });
        ev({
          id: 'r2',
          author: 'nemo_agent',
          content: {
            role: 'user',
            parts: [
              {
                functionResponse: {
                  id: 'c2',
                  name: 'render',
                  response: { ok: true, render_id: 'render_agent', status: 'queued', cost: 2 },
                },
              },
            ],
          },
        });
        ev({
          id: 'r3',
          author: 'nemo_agent',
          partial: true,
          content: { role: 'model', parts: [{ text: 'Export started.' }] },
        });
        ev({
          id: 'r4',
          author: 'nemo_agent',
          partial: true,
          content: { role: 'model', parts: [{ text: 'Rendering… 50%' }] },
        });
      }
      ev({
        id: 'e3',
        author: 'nemo_agent',
        content: { role: 'model', parts: [{ text: 'Removed 2 pauses. Timeline (1 track): 1. Video: talk (0-7s)' }] },
      });
      return res.end();
    }
    if (req.method === 'GET' && /^\/api\/state\/nemo_agent\/me\/[^/]+\/latest$/.test(p)) {
      if (!p.includes('ses_1')) return send(res, 404, 1002, 'Session not found', null);
      return send(res, 200, 0, 'ok', { draft, video_infos: [{ media_id: 'med_1' }], generated_media: [] });
    }
    if (req.method === 'POST' && p === '/api/render/proxy/lambda') {
      const b = JSON.parse((await body(req)).toString()) as { id: string };
      if (opts.credits === 0)
        return send(res, 402, 2001, 'Out of credits', { bind_url: 'http://fake/register?bind=u_fake' });
      state.renders.push(b);
      polls.set(b.id, 0);
      return send(res, 200, 0, 'ok', { render_id: b.id, status: 'queued' });
    }
    const poll = /^\/api\/render\/proxy\/lambda\/([^/]+)$/.exec(p);
    if (req.method === 'GET' && poll) {
      const id = decodeURIComponent(poll[1]!);
      const n = (polls.get(id) ?? 0) + 1;
      polls.set(id, n);
      if (n < 3) return send(res, 200, 0, 'ok', { render_id: id, status: 'rendering', progress: n / 3 });
      if (opts.renderFails)
        return send(res, 200, 0, 'ok', { render_id: id, status: 'failed', progress: 1, error: 'ffmpeg exited 1' });
      return send(res, 200, 0, 'ok', {
        render_id: id,
        status: 'done',
        progress: 1,
        url: `/files/${id}.mp4`,
        srt_url: `/files/${id}.srt`,
        share_url: '/s/share1',
        expires_at: Date.now() + 86400_000,
      });
    }
    return send(res, 404, 404, `No route for ${req.method} ${p}`, null);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise((r) => server.close(() => r()));
  return state;
}
