import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { signBlobUrl } from '../../src/lib/signing.ts';
import { BASE, call, json } from './helpers.ts';

const KEY = 'u/u_blobtest/media/med_1/clip one.mp4';
const BYTES = new Uint8Array(1000).map((_, i) => i % 251);
const path = (url: string) => url.slice(BASE.length);

async function seed() {
  await env.MEDIA.put(KEY, BYTES, { httpMetadata: { contentType: 'video/mp4' } });
}

describe('signed blob URLs', () => {
  it('serves the whole object, a range, a suffix range, and HEAD without a body', async () => {
    await seed();
    const url = path(await signBlobUrl(env.SIGNING_SECRET, BASE, KEY, 'GET'));
    const whole = await call(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(new Uint8Array(await whole.arrayBuffer())).toEqual(BYTES);

    const part = await call(url, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(BYTES.slice(100, 200));

    const open = await call(url, { headers: { range: 'bytes=990-' } });
    expect(open.headers.get('content-range')).toBe('bytes 990-999/1000');
    expect(new Uint8Array(await open.arrayBuffer())).toEqual(BYTES.slice(990));

    const suffix = await call(url, { headers: { range: 'bytes=-10' } });
    expect(suffix.status).toBe(206);
    expect(new Uint8Array(await suffix.arrayBuffer())).toEqual(BYTES.slice(990));

    const beyond = await call(url, { headers: { range: 'bytes=995-5000' } });
    expect(beyond.headers.get('content-range')).toBe('bytes 995-999/1000');

    const head = await call(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('1000');
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('answers 416 for a range past the end', async () => {
    await seed();
    const url = path(await signBlobUrl(env.SIGNING_SECRET, BASE, KEY, 'GET'));
    const res = await call(url, { headers: { range: 'bytes=5000-6000' } });
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe('bytes */1000');
  });

  it('refuses a tampered, expired or wrong-method link, and a missing object', async () => {
    await seed();
    const good = await signBlobUrl(env.SIGNING_SECRET, BASE, KEY, 'GET');
    const tampered = path(good).replace(/sig=[0-9a-f]/, (m) => (m.endsWith('0') ? 'sig=1' : 'sig=0'));
    expect((await json(await call(tampered))).code).toBe(1001);
    const expired = path(await signBlobUrl(env.SIGNING_SECRET, BASE, KEY, 'GET', 60, Date.now() - 3600_000));
    const gone = await call(expired);
    expect(gone.status).toBe(410);
    expect((await json(gone)).message).toMatch(/expired/);
    const putLink = path(await signBlobUrl(env.SIGNING_SECRET, BASE, KEY, 'PUT'));
    expect((await json(await call(putLink))).code).toBe(1001);
    const otherKey = path(await signBlobUrl(env.SIGNING_SECRET, BASE, `${KEY}.missing`, 'GET'));
    expect((await call(otherKey)).status).toBe(404);
  });

  it('answers 400, not 500, for a path with broken percent-encoding', async () => {
    for (const method of ['GET', 'PUT']) {
      const res = await call('/api/blob/u/u_blobtest/%E0%A4%A?m=GET&exp=9999999999&sig=00', {
        method,
        ...(method === 'PUT' ? { body: 'x', headers: { 'content-length': '1' } } : {}),
      });
      expect(res.status, method).toBe(400);
      expect((await json(res)).code).toBe(400);
    }
  });

  it('writes through a signed PUT link with Content-Length, and only to its own key', async () => {
    const key = 'u/u_blobtest/renders/r1/out.mp4';
    const url = path(await signBlobUrl(env.SIGNING_SECRET, BASE, key, 'PUT'));
    const body = new Uint8Array(4096).fill(7);
    const res = await call(url, {
      method: 'PUT',
      body,
      headers: { 'content-length': '4096', 'content-type': 'video/mp4' },
    });
    expect(res.status).toBe(200);
    const stored = await env.MEDIA.get(key);
    expect(stored?.size).toBe(4096);
    expect(stored?.httpMetadata?.contentType).toBe('video/mp4');
    await stored?.arrayBuffer();
    const elsewhere = url.replace('out.mp4', 'other.mp4');
    expect(
      (await json(await call(elsewhere, { method: 'PUT', body, headers: { 'content-length': '4096' } }))).code,
    ).toBe(1001);
    expect(await env.MEDIA.head('u/u_blobtest/renders/r1/other.mp4')).toBeNull();
  });
});
