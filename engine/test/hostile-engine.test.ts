/**
 * Hostile requests against the engine (issue 11, item 1): whoever reaches its port without the
 * Worker's key gets a 401 and nothing is read or written; with the key, only the Worker's own
 * /api/blob/ URLs are accepted; ffmpeg never gets file:, concat:, data: or pipe: inputs; errors
 * that reach users carry no ffmpeg internals. Every refused case also checks that nothing was PUT.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveEngineSecret, signEngineRequest } from '../../src/lib/engine-auth.ts';
import { FfmpegError, guardInputs, RefusedInputError, runFfmpeg } from '../src/ffmpeg/run-ffmpeg.ts';
import { loadEngineAuth, urlProblem } from '../src/http/auth.ts';
import { MAX_PIXELS, pixelLimitProblem } from '../src/probe/probe-media.ts';
import { type Fixture, setUp, TEST_ENGINE_SECRET, waitForJob } from './fixtures.ts';
import { ffmpeg } from './media.ts';

let fx: Fixture;
beforeAll(async () => {
  fx = await setUp();
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc2=s=160x120:r=25:d=1', '-pix_fmt', 'yuv420p', join(fx.dir, 'clip.mp4'));
  // A pixel bomb: 6100×6100 of one colour is a small PNG but 37 MP (149 MB) per decoded frame.
  await ffmpeg('-f', 'lavfi', '-i', 'color=c=red:s=6100x6100', '-frames:v', '1', join(fx.dir, 'bomb.png'));
  // An HLS playlist whose segment is a local file: the protocol whitelist must stop ffmpeg following it.
  await writeFile(
    join(fx.dir, 'evil.m3u8'),
    '#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n',
  );
});
afterAll(() => fx.close());

const draft = {
  w: 160,
  h: 120,
  fps: 25,
  d: 1000,
  t: [{ id: 'v', tt: 0, m: {}, sg: [{ id: 's', src: 'clip', s: 0, d: 1000 }] }],
};

/** A raw request to the app with chosen headers (the fixture's `call` always signs correctly). */
async function raw(method: string, path: string, body: string, headers: Record<string, string> = {}) {
  const res = await fx.app.request(path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: method === 'GET' ? undefined : body,
  });
  return { status: res.status, json: (await res.json()) as { error: string } };
}

describe('engine authentication', () => {
  const probeBody = () => JSON.stringify({ url: fx.files.url('clip.mp4') });

  it('leaves GET /health open and refuses every other unsigned request with 401', async () => {
    expect((await fx.app.request('/health')).status).toBe(200);
    for (const [method, path, body] of [
      ['POST', '/probe', probeBody()],
      ['POST', '/analyse', JSON.stringify({ url: fx.files.url('clip.mp4'), content_hash: 'abc' })],
      ['POST', '/render', JSON.stringify({ draft, inputs: {}, output: { url: fx.files.url('x.mp4') } })],
      ['GET', '/jobs/job_x', ''],
      ['DELETE', '/jobs/job_x', ''],
    ] as const) {
      const r = await raw(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(401);
      expect(r.json.error).toMatch(/missing request signature/);
    }
    expect(fx.files.puts.size).toBe(0);
  });

  it('refuses a forged key, a tampered body, a skewed clock and a replay', async () => {
    const body = probeBody();
    const forged = await signEngineRequest('another-secret-of-enough-length-0123456789', 'POST', '/probe', body);
    expect((await raw('POST', '/probe', body, forged)).json.error).toMatch(/bad request signature/);

    const signed = await signEngineRequest(TEST_ENGINE_SECRET, 'POST', '/probe', body);
    const tampered = JSON.stringify({ url: fx.files.url('other.mp4') });
    expect((await raw('POST', '/probe', tampered, signed)).status).toBe(401);
    const otherPath = await signEngineRequest(TEST_ENGINE_SECRET, 'POST', '/analyse', body);
    expect((await raw('POST', '/probe', body, otherPath)).status).toBe(401);

    for (const skew of [-6 * 60_000, 6 * 60_000]) {
      const stale = await signEngineRequest(TEST_ENGINE_SECRET, 'POST', '/probe', body, Date.now() + skew);
      const r = await raw('POST', '/probe', body, stale);
      expect(r.status).toBe(401);
      expect(r.json.error).toMatch(/clock skew/);
    }

    const first = await raw('POST', '/probe', body, signed);
    expect(first.status).toBe(200);
    const again = await raw('POST', '/probe', body, signed);
    expect(again.status).toBe(401);
    expect(again.json.error).toMatch(/replayed/);
  });

  it('loads its key from ENGINE_SECRET or derives it from SIGNING_SECRET, and will not start without one', async () => {
    const signing = 'a-signing-secret-long-enough-for-the-check-0123';
    const derived = await loadEngineAuth({ SIGNING_SECRET: signing, ENGINE_WORKER_ORIGIN: 'http://w.example:8787/x' });
    expect(derived).toEqual({ secret: await deriveEngineSecret(signing), workerOrigin: 'http://w.example:8787' });
    await expect(loadEngineAuth({ ENGINE_WORKER_ORIGIN: 'http://w.example' })).rejects.toThrow(/ENGINE_SECRET/);
    await expect(loadEngineAuth({ ENGINE_SECRET: 'short', ENGINE_WORKER_ORIGIN: 'http://w' })).rejects.toThrow();
    await expect(loadEngineAuth({ ENGINE_SECRET: signing })).rejects.toThrow(/ENGINE_WORKER_ORIGIN/);
  });
});

describe('engine URL policy (signed requests)', () => {
  const bad = (origin: string) => [
    'file:///etc/passwd',
    'concat:/etc/passwd|/etc/hostname',
    'data:text/plain;base64,aGVsbG8=',
    'subfile,,start,0,end,100,,:/etc/passwd',
    'pipe:0',
    'ftp://127.0.0.1/x',
    'http://127.0.0.1:1/api/blob/u/x.mp4', // another port: another service
    'http://169.254.169.254/latest/meta-data/',
    `${origin}/api/sessions`, // the Worker, but not its blob route
    `${origin}/api/blob/../../api/sessions`,
    `${origin.replace('http://', 'http://user:pw@')}/api/blob/x`,
  ];

  it('probes only URLs on the Worker origin under /api/blob/ (400 naming the field)', async () => {
    for (const url of bad(fx.files.origin)) {
      const r = await fx.call('POST', '/probe', { url });
      expect(r.status, url).toBe(400);
      expect(r.json.error, url).toMatch(/^url: /);
    }
    expect((await fx.call('POST', '/probe', { url: fx.files.url('clip.mp4') })).status).toBe(200);
  });

  it("refuses a chunked render's join reading its parts anywhere else (400 naming the field)", async () => {
    const ok = fx.files.url('part.mp4');
    for (const url of bad(fx.files.origin)) {
      const chunk = await fx.call('POST', '/render', {
        draft,
        inputs: {},
        output: { url: fx.files.url('joined.mp4') },
        part: { kind: 'join', chunk_urls: [ok, url], audio_url: ok },
      });
      expect(chunk.status, url).toBe(400);
      expect(chunk.json.error, url).toMatch(/^part\.chunk_urls\.1: /);
      const audio = await fx.call('POST', '/render', {
        draft,
        inputs: {},
        output: { url: fx.files.url('joined.mp4') },
        part: { kind: 'join', chunk_urls: [ok], audio_url: url },
      });
      expect(audio.status, url).toBe(400);
      expect(audio.json.error, url).toMatch(/^part\.audio_url: /);
    }
  });

  it('refuses renders reading or writing anywhere else, and writes nothing', async () => {
    const out = { url: fx.files.url('ok.mp4') };
    for (const url of bad(fx.files.origin)) {
      const input = await fx.call('POST', '/render', { draft, inputs: { clip: { url, kind: 'video' } }, output: out });
      expect(input.status, url).toBe(400);
      expect(input.json.error).toMatch(/^inputs\.clip\.url: /);
      const output = await fx.call('POST', '/render', {
        draft,
        inputs: { clip: { url: fx.files.url('clip.mp4'), kind: 'video' } },
        output: { url: fx.files.url('ok.mp4'), vtt_url: url },
      });
      expect(output.status, url).toBe(400);
      expect(output.json.error).toMatch(/^output\.vtt_url: /);
    }
    expect((await fx.call('POST', '/analyse', { url: 'file:///etc/passwd', content_hash: 'abc' })).status).toBe(400);
    expect(fx.files.puts.size).toBe(0);
  });

  it('urlProblem is pure and names why', () => {
    expect(urlProblem('https://api.example.com/api/blob/u/a.mp4?sig=1', 'https://api.example.com')).toBeNull();
    expect(urlProblem('https://api.example.com.evil.net/api/blob/a', 'https://api.example.com')).toMatch(/origin/);
    expect(urlProblem('not a url', 'https://api.example.com')).toMatch(/absolute/);
  });
});

describe('ffmpeg inputs (the one choke point)', () => {
  it('adds the protocol whitelist to URL inputs and refuses pseudo-protocols', () => {
    expect(guardInputs(['-ss', '1', '-i', 'https://w/api/blob/a', 'out.mp4'])).toEqual([
      '-ss',
      '1',
      '-protocol_whitelist',
      'http,https,tcp,tls',
      '-i',
      'https://w/api/blob/a',
      'out.mp4',
    ]);
    expect(guardInputs(['-f', 'lavfi', '-i', 'color=c=black:s=16x16', '-i', '/tmp/x/a.wav'])).toHaveLength(6);
    for (const input of [
      'file:/etc/passwd',
      'concat:/a|/b',
      'data:,x',
      'subfile,,start,0,,:/etc/passwd',
      'pipe:0',
      '-',
    ]) {
      expect(() => guardInputs(['-i', input]), input).toThrow(RefusedInputError);
    }
    // lavfi is trusted only for the input it names: the next -i is checked again.
    expect(() => guardInputs(['-f', 'lavfi', '-i', 'anullsrc', '-i', 'concat:/a|/b'])).toThrow(RefusedInputError);
  });

  it('a real ffmpeg cannot follow an HLS playlist into file:// (whitelist enforced by ffmpeg)', async () => {
    const err = await runFfmpeg(['-i', fx.files.url('evil.m3u8'), '-f', 'null', '-']).catch((e) => e);
    expect(err).toBeInstanceOf(FfmpegError);
    expect(err.stderr).toMatch(/not on whitelist|Invalid data|No such/i);
  });

  it('a failed render tells the user why without ffmpeg internals', async () => {
    const start = await fx.call('POST', '/render', {
      draft,
      inputs: { clip: { url: fx.files.url('evil.m3u8'), kind: 'video' } },
      output: { url: fx.files.url('evil-out.mp4') },
    });
    expect(start.status).toBe(202);
    const job = await waitForJob(fx, start.json.job_id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/input clip cannot be read/);
    expect(job.error).not.toMatch(/\/tmp|\/etc|http:|whitelist|Invalid data|exited with/);
    const probe = await fx.call('POST', '/probe', { url: fx.files.url('evil.m3u8') });
    expect(probe.status).toBe(422);
    expect(probe.json.error).not.toMatch(/\/etc|http:|whitelist|exited with/);
    expect(fx.files.puts.has('/evil-out.mp4')).toBe(false);
  });
});

describe('pixel caps at probe time', () => {
  it('names the limit (pure)', () => {
    expect(pixelLimitProblem('image', 6000, 6000)).toBeNull();
    expect(pixelLimitProblem('image', 16000, 16000)).toMatch(
      /16000×16000 \(256 MP\): over the limit of 36000000 pixels/,
    );
    expect(pixelLimitProblem('video', 7680, 4320)).toMatch(/over the limit of 16777216 pixels/);
    expect(pixelLimitProblem('audio', 1e9, 1e9)).toBeNull();
  });

  it('probe answers 422 with the limit (the Worker turns it into 4001), and a render of it fails saying why', async () => {
    const probe = await fx.call('POST', '/probe', { url: fx.files.url('bomb.png') });
    expect(probe.status).toBe(422);
    expect(probe.json.error).toContain(`over the limit of ${MAX_PIXELS.image} pixels`);
    const start = await fx.call('POST', '/render', {
      draft: { ...draft, t: [{ id: 'v', tt: 0, m: {}, sg: [{ id: 's', src: 'bomb', s: 0, d: 1000 }] }] },
      inputs: { bomb: { url: fx.files.url('bomb.png'), kind: 'image' } },
      output: { url: fx.files.url('bomb-out.mp4') },
    });
    const job = await waitForJob(fx, start.json.job_id);
    expect(job.status).toBe('failed');
    expect(job.error).toContain('over the limit of 36000000 pixels');
    expect(fx.files.puts.has('/bomb-out.mp4')).toBe(false);
  });
});
