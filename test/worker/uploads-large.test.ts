import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { userStub } from '../../src/durable/user-stub.ts';
import { toHex } from '../../src/lib/ids.ts';
import { MAX_UPLOAD_BYTES } from '../../src/uploads/limits.ts';
import { call, json, userWithSession } from './helpers.ts';
import { ftyp, moov } from './uploads-fixtures.ts';

const MiB = 1024 * 1024;
const CHUNK_BYTES = MiB;

/**
 * A valid MP4 of `payloadBytes` (ftyp + one big mdat + moov), produced chunk by chunk as it is
 * read and hashed on the way: neither this test nor the worker ever holds the whole file.
 */
function bigMp4(payloadBytes: number, wrap: { head?: Uint8Array; tail?: Uint8Array; zeros?: boolean } = {}) {
  const mdatHeader = new Uint8Array(8);
  new DataView(mdatHeader.buffer).setUint32(0, 8 + payloadBytes);
  mdatHeader.set(new TextEncoder().encode('mdat'), 4);
  const head = ftyp('isom', 'mp41');
  const tail = moov();
  const fileBytes = head.length + 8 + payloadBytes + tail.length;
  const digest = new crypto.DigestStream('SHA-256');
  const hasher = digest.getWriter();
  let left = payloadBytes;
  let seed = 0x9e3779b9;
  const stages: (() => Uint8Array | null)[] = [() => wrap.head ?? null, () => head, () => mdatHeader];
  let stage = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let out: Uint8Array | null = null;
      let fileBytesOut = true;
      if (stage < stages.length) {
        out = stages[stage]!();
        fileBytesOut = stage > 0;
        stage++;
      } else if (left > 0) {
        out = new Uint8Array(Math.min(CHUNK_BYTES, left));
        const words = new Uint32Array(out.buffer, 0, wrap.zeros ? 0 : out.length >> 2);
        for (let i = 0; i < words.length; i++) {
          seed ^= seed << 13;
          seed ^= seed >>> 17;
          seed ^= seed << 5;
          words[i] = seed;
        }
        left -= out.length;
      } else if (stage === stages.length) {
        out = tail;
        stage++;
      } else if (stage === stages.length + 1) {
        stage++;
        if (wrap.tail) {
          controller.enqueue(wrap.tail);
          return;
        }
        await hasher.close();
        controller.close();
        return;
      } else {
        await hasher.close().catch(() => {});
        controller.close();
        return;
      }
      if (!out || out.length === 0) return;
      if (fileBytesOut) await hasher.write(out);
      controller.enqueue(out);
    },
  });
  return { stream, fileBytes, sha256: digest.digest.then(toHex) };
}

const BOUNDARY = '----openedit-large-test-7f3a91c2d4e5b6a8';
const partHead = (name: string) =>
  new TextEncoder().encode(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: video/mp4\r\n\r\n`,
  );
const partTail = new TextEncoder().encode(`\r\n--${BOUNDARY}--\r\n`);

describe('large uploads stream through', () => {
  it('multipart: a 130 MiB MP4 lands whole, with the right size and SHA-256', async () => {
    const u = await userWithSession();
    const big = bigMp4(130 * MiB, { head: partHead('big.mp4'), tail: partTail });
    const res = await call(`/api/upload-video/nemo_agent/me/${u.session_id}`, {
      method: 'POST',
      token: u.token,
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      body: big.stream,
    });
    const body = await json<{ media: { size: number; kind: string }[] }>(res);
    expect(body.code, body.message).toBe(0);
    expect(body.data.media[0]).toMatchObject({ size: big.fileBytes, kind: 'video' });
    const [row] = await userStub(env, u.user_id).listMedia(u.session_id);
    expect(row!.content_hash).toBe(await big.sha256);
    expect((await env.MEDIA.head(row!.r2_key))?.size).toBe(big.fileBytes);
  }, 120_000);

  it('raw PUT: a 130 MiB MP4 lands whole through one FixedLengthStream', async () => {
    const u = await userWithSession();
    const big = bigMp4(130 * MiB);
    const res = await call(`/api/upload-video/nemo_agent/me/${u.session_id}/raw`, {
      method: 'PUT',
      token: u.token,
      headers: { 'x-file-name': 'big.mp4', 'content-length': String(big.fileBytes) },
      body: big.stream,
    });
    const body = await json<{ media: { size: number }[] }>(res);
    expect(body.code, body.message).toBe(0);
    const [row] = await userStub(env, u.user_id).listMedia(u.session_id);
    expect(row!.content_hash).toBe(await big.sha256);
    expect((await env.MEDIA.head(row!.r2_key))?.size).toBe(big.fileBytes);
  }, 120_000);

  it('multipart: a file growing past 500 MiB is refused with 4002 while streaming, leaving no object and no row', async () => {
    const u = await userWithSession();
    const big = bigMp4(MAX_UPLOAD_BYTES, { head: partHead('too-big.mp4'), tail: partTail, zeros: true });
    const res = await call(`/api/upload-video/nemo_agent/me/${u.session_id}`, {
      method: 'POST',
      token: u.token,
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      body: big.stream,
    });
    const body = await json<{ max_bytes: number }>(res);
    expect([res.status, body.code, body.data.max_bytes]).toEqual([413, 4002, MAX_UPLOAD_BYTES]);
    expect(body.message).toContain('too-big.mp4');
    expect((await env.MEDIA.list({ prefix: `u/${u.user_id}/` })).objects).toEqual([]);
    expect(await userStub(env, u.user_id).listMedia(u.session_id)).toEqual([]);
  }, 180_000);
});

describe('a client that goes away mid-upload', () => {
  it.each(['multipart', 'raw'] as const)(
    '%s: leaves no object and no row after 25 MiB',
    async (mode) => {
      const u = await userWithSession();
      const big = bigMp4(130 * MiB, mode === 'multipart' ? { head: partHead('gone.mp4'), tail: partTail } : {});
      const source = big.stream.getReader();
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent > 25 * MiB) {
            controller.error(new Error('client went away'));
            await source.cancel();
            return;
          }
          const { done, value } = await source.read();
          if (done) return controller.close();
          sent += value.length;
          controller.enqueue(value);
        },
      });
      const path = `/api/upload-video/nemo_agent/me/${u.session_id}${mode === 'raw' ? '/raw' : ''}`;
      const headers: Record<string, string> =
        mode === 'raw'
          ? { 'x-file-name': 'gone.mp4', 'content-length': String(big.fileBytes) }
          : { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };
      const res = await call(path, { method: mode === 'raw' ? 'PUT' : 'POST', token: u.token, headers, body }).catch(
        (err: unknown) => err,
      );
      if (res instanceof Response) expect(res.status).not.toBe(200);
      expect((await env.MEDIA.list({ prefix: `u/${u.user_id}/` })).objects).toEqual([]);
      expect(await userStub(env, u.user_id).listMedia(u.session_id)).toEqual([]);
    },
    60_000,
  );
});
