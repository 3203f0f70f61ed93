/**
 * Issue 11, item 2: no forgeable default secret, and blobs that cannot become web pages.
 * A Worker whose SIGNING_SECRET is missing, short or the old published value answers every route
 * with a 500 envelope; URLs signed with that published value open nothing; the signed PUT route
 * stores only media and caption types; what it serves carries nosniff and, unless it is media,
 * Content-Disposition: attachment.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index.ts';
import { PUBLISHED_SECRETS, secretProblem } from '../../src/lib/secret-guard.ts';
import { signBlobUrl } from '../../src/lib/signing.ts';
import { BASE, call, json } from './helpers.ts';

const path = (url: string) => url.slice(BASE.length);

async function fetchWith(overrides: Partial<Env>, route: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${BASE}${route}`, init), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe('a Worker with an unsafe SIGNING_SECRET refuses to serve', () => {
  it('names the problem (pure check)', () => {
    expect(secretProblem({ SIGNING_SECRET: '' })).toMatch(/not set/);
    expect(secretProblem({ SIGNING_SECRET: PUBLISHED_SECRETS[0]! })).toMatch(/published/);
    expect(secretProblem({ SIGNING_SECRET: 'x'.repeat(31) })).toMatch(/shorter than 32/);
    expect(secretProblem({ SIGNING_SECRET: env.SIGNING_SECRET })).toBeNull();
  });

  it('answers 500 on every route, minting nothing, while the secret is missing or published', async () => {
    for (const secret of ['', 'dev-only-signing-secret-change-me', 'short-secret']) {
      for (const [route, init] of [
        ['/health', {}],
        ['/api/auth/anonymous-token', { method: 'POST', headers: { 'x-client-id': 'hostile-secret-client' } }],
        ['/s/anything', {}],
      ] as const) {
        const res = await fetchWith({ SIGNING_SECRET: secret }, route, init);
        expect(res.status, `${route} with ${JSON.stringify(secret)}`).toBe(500);
        const body = await json(res);
        expect(body.code).toBe(500);
        expect(body.message).toMatch(/Server misconfigured: SIGNING_SECRET/);
      }
    }
    // The mint above never ran: the same client id is a brand-new user with the full grant.
    const mint = await json<{ credits: number }>(
      await call('/api/auth/anonymous-token', { method: 'POST', headers: { 'x-client-id': 'hostile-secret-client' } }),
    );
    expect(mint.data.credits).toBe(100);
  });
});

describe('signed blob URLs', () => {
  const key = 'u/u_hostile/media/med_1/clip.mp4';

  it('a URL signed with the published development secret opens nothing', async () => {
    await env.MEDIA.put(key, new Uint8Array(64).fill(1), { httpMetadata: { contentType: 'video/mp4' } });
    const forged = path(await signBlobUrl('dev-only-signing-secret-change-me', BASE, key, 'GET'));
    const res = await call(forged);
    expect(res.status).toBe(401);
    expect((await json(res)).code).toBe(1001);
    const genuine = await call(path(await signBlobUrl(env.SIGNING_SECRET, BASE, key, 'GET')));
    expect(genuine.status).toBe(200);
    expect((await genuine.arrayBuffer()).byteLength).toBe(64);
  });

  it('PUT stores only media and caption types (4001 listing them); the object is not written', async () => {
    const target = 'u/u_hostile/media/med_2/page.html';
    const url = path(await signBlobUrl(env.SIGNING_SECRET, BASE, target, 'PUT'));
    const body = '<html><script>alert(document.cookie)</script></html>';
    for (const type of ['text/html', 'image/svg+xml', 'application/octet-stream', 'text/html; charset=utf-8', null]) {
      const headers: Record<string, string> = { 'content-length': String(body.length) };
      if (type) headers['content-type'] = type;
      const res = await call(url, { method: 'PUT', body, headers });
      expect(res.status, String(type)).toBe(415);
      const env4001 = await json<{ accepted: string[] }>(res);
      expect(env4001.code).toBe(4001);
      expect(env4001.data.accepted).toContain('video/mp4');
      expect(env4001.data.accepted).not.toContain('text/html');
    }
    expect(await env.MEDIA.head(target)).toBeNull();
    const vtt = await call(url, {
      method: 'PUT',
      body: 'WEBVTT\n',
      headers: { 'content-length': '7', 'content-type': 'text/vtt; charset=utf-8' },
    });
    expect(vtt.status).toBe(200);
    expect((await env.MEDIA.head(target))?.httpMetadata?.contentType).toBe('text/vtt');
  });

  it('serves the stored type with nosniff, and attachment for anything but media', async () => {
    const cases = [
      ['old.html', 'text/html', 'application/octet-stream', 'attachment'],
      ['c.vtt', 'text/vtt', 'text/vtt', 'attachment'],
      ['a.json', 'application/json', 'application/octet-stream', 'attachment'],
      ['v.mp4', 'video/mp4', 'video/mp4', null],
      ['p.png', 'image/png', 'image/png', null],
    ] as const;
    for (const [name, stored, served, disposition] of cases) {
      const k = `u/u_hostile/serve/${name}`;
      await env.MEDIA.put(k, 'x', { httpMetadata: { contentType: stored } });
      const res = await call(path(await signBlobUrl(env.SIGNING_SECRET, BASE, k, 'GET')));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type'), name).toBe(served);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-disposition'), name).toBe(disposition);
      await res.arrayBuffer();
    }
  });
});
