/**
 * One real render end to end: the Worker under `wrangler dev` with local Workflows, DO and R2,
 * the real media engine, a real clip uploaded through the raw PUT route, and the MP4 that comes
 * back checked with ffprobe. The webhook is received by a local server and its HMAC verified.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, exec, type RenderedClip, renderClip } from './render-fixture.ts';
import { devVar, freePort, type Stack, startStack } from './stack.ts';

// This checkout's random secret (scripts/setup.sh): the Worker under wrangler dev signs webhooks with it.
const SIGNING_SECRET = devVar('SIGNING_SECRET');

let stack: Stack;
let hooks: Server;
let hookPort = 0;
const received: { body: string; signature: string | undefined }[] = [];

beforeAll(async () => {
  hookPort = await freePort();
  hooks = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ body, signature: req.headers['x-signature'] as string | undefined });
      res.writeHead(200).end('ok');
    });
  }).listen(hookPort, '127.0.0.1');
  // Fails loudly (with the stack's last output) when the Worker or the engine cannot start.
  // The webhook receiver listens on 127.0.0.1, which the Worker refuses unless told this is a local test.
  stack = await startStack({ env: { ALLOW_PRIVATE_OUTBOUND: '1' } });
});

afterAll(async () => {
  await stack?.stop();
  hooks?.close();
});

describe('render end to end (Worker + Workflow + real engine)', () => {
  let r: RenderedClip;

  it('renders an uploaded clip to an MP4 whose duration matches the draft', async () => {
    const engine = await fetch(`${stack.engineUrl}/health`).catch((e: Error) => e);
    if (engine instanceof Error || !engine.ok)
      throw new Error(`media engine not healthy at ${stack.engineUrl}: ${String(engine)}`);
    r = await renderClip(stack.baseUrl, {
      title: 'E2E render',
      webhookUrl: `http://127.0.0.1:${hookPort}/hook`,
      timeoutMs: 200_000,
    }).catch((err: Error) => {
      throw new Error(`${err.message}\n--- stack logs ---\n${stack.logs().slice(-6000)}`);
    });
    expect(r.status.error, stack.logs().slice(-3000)).toBeUndefined();
    expect(r.status).toMatchObject({ status: 'done', progress: 1 });
    expect(r.status.url).toMatch(/\/api\/blob\/u\/.+\/out\.mp4\?m=GET/);
    expect(r.status.share_url).toMatch(/\/s\/[A-Za-z0-9_-]{64}$/);

    const res = await fetch(r.status.url!);
    expect(res.status).toBe(200);
    const file = join(mkdtempSync(join(tmpdir(), 'openedit-render-')), 'out.mp4');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const { stdout } = await exec('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file]);
    const probe = JSON.parse(stdout) as {
      format: { duration: string };
      streams: { codec_type: string; codec_name: string; width?: number; height?: number }[];
    };
    const video = probe.streams.find((s) => s.codec_type === 'video')!;
    expect(video).toMatchObject({ codec_name: 'h264', width: 1280, height: 720 });
    expect(probe.streams.some((s) => s.codec_type === 'audio' && s.codec_name === 'aac')).toBe(true);
    expect(Math.abs(Number(probe.format.duration) - 3)).toBeLessThan(0.1);

    // Players seek with Range requests.
    const ranged = await fetch(r.status.url!, { headers: { range: 'bytes=100-199' } });
    expect(ranged.status).toBe(206);
    expect((await ranged.arrayBuffer()).byteLength).toBe(100);
  }, 240_000); // generous: the machine's two cores are often shared with other ffmpeg work

  it('writes captions as SRT and VTT beside the MP4', async () => {
    expect(r?.status.captions?.srt).toBeTruthy();
    const srt = await (await fetch(r.status.captions!.srt!)).text();
    expect(srt).toMatch(/00:00:00,000 --> 00:00:01,500\s+Hello there/);
    const vtt = await (await fetch(r.status.captions!.vtt!)).text();
    expect(vtt).toMatch(/^WEBVTT/);
    expect(vtt).toContain('General Kenobi');
  });

  it('spent the frozen credits exactly once', async () => {
    const ledger = await api<{
      balance: { available: number; frozen: number; spent: number; granted: number };
      rows: { kind: string; ref: string | null }[];
    }>(stack.baseUrl, '/api/credits/ledger', { token: r.token });
    expect(ledger.balance).toMatchObject({ available: 99, frozen: 0, spent: 1, granted: 100 });
    expect(ledger.rows.filter((x) => x.ref === r.renderId).map((x) => x.kind)).toEqual(['spend', 'freeze']);
  });

  it('POSTed a signed webhook once', async () => {
    for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((res) => setTimeout(res, 100));
    expect(received).toHaveLength(1);
    const [hook] = received;
    expect(hook!.signature).toBe(createHmac('sha256', SIGNING_SECRET).update(hook!.body).digest('hex'));
    expect(JSON.parse(hook!.body)).toMatchObject({
      event: 'render.done',
      data: { render_id: r.renderId, status: 'done' },
    });
  });
});
