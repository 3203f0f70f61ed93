import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { TUS_STALE_MS } from '../../src/durable/tus-uploads.ts';
import type { UserDO } from '../../src/durable/user-do.ts';
import { rawUserStub, userStub } from '../../src/durable/user-stub.ts';
import { toHex } from '../../src/lib/ids.ts';
import { MAX_UPLOAD_BYTES } from '../../src/uploads/limits.ts';
import { call, json, userWithSession } from './helpers.ts';
import * as fx from './uploads-fixtures.ts';

const MiB = 1024 * 1024;
const TUS = { 'tus-resumable': '1.0.0' };
type User = Awaited<ReturnType<typeof userWithSession>>;

const createPath = (sid: string) => `/api/upload-video/nemo_agent/me/${sid}/tus`;
const b64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));

/** A valid MP4 (ftyp, one big mdat of pseudo-random bytes, moov) of about `payloadBytes`. */
function mp4Of(payloadBytes: number): Uint8Array {
  const payload = new Uint8Array(payloadBytes);
  const words = new Uint32Array(payload.buffer, 0, payloadBytes >> 2);
  let seed = 0x2545f491;
  for (let i = 0; i < words.length; i++) {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    words[i] = seed;
  }
  return fx.concat(fx.ftyp('isom', 'mp41'), fx.box('mdat', payload), fx.moov());
}

const sha256 = async (b: Uint8Array) => toHex(await crypto.subtle.digest('SHA-256', b));

async function create(u: User, length: number, name = 'clip.mp4', sid = u.session_id, token = u.token) {
  const res = await call(createPath(sid), {
    method: 'POST',
    token,
    headers: {
      ...TUS,
      'upload-length': String(length),
      'upload-metadata': `filename ${b64(name)},filetype ${b64('video/mp4')}`,
    },
  });
  return { res, path: res.headers.get('location') ? new URL(res.headers.get('location')!).pathname : '' };
}

function patch(u: User, path: string, offset: number, body: BodyInit, headers: Record<string, string> = {}) {
  return call(path, {
    method: 'PATCH',
    token: u.token,
    headers: { ...TUS, 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset), ...headers },
    body,
  });
}

const head = (u: User, path: string) => call(path, { method: 'HEAD', token: u.token, headers: TUS });

async function keysOf(u: User) {
  return (await env.MEDIA.list({ prefix: `u/${u.user_id}/` })).objects.map((o) => o.key);
}

/** Sends `file` in PATCHes of the given sizes (the last one takes the rest), checking each answer. */
async function upload(u: User, path: string, file: Uint8Array, sizes: number[], from = 0) {
  let offset = from;
  let last: Response | null = null;
  for (let i = 0; offset < file.length; i++) {
    const end = i < sizes.length ? Math.min(file.length, offset + sizes[i]!) : file.length;
    last = await patch(u, path, offset, file.slice(offset, end));
    expect(last.status, await last.clone().text()).toBe(204);
    expect(last.headers.get('upload-offset')).toBe(String(end));
    expect(last.headers.get('tus-resumable')).toBe('1.0.0');
    offset = end;
  }
  return last!;
}

describe('tus 1.0.0 resumable uploads', () => {
  it('OPTIONS tells the version, extensions and maximum size', async () => {
    const res = await call(createPath('ses_any'), { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(
      Object.fromEntries(
        ['tus-resumable', 'tus-version', 'tus-extension', 'tus-max-size'].map((h) => [h, res.headers.get(h)]),
      ),
    ).toEqual({
      'tus-resumable': '1.0.0',
      'tus-version': '1.0.0',
      'tus-extension': 'creation,termination',
      'tus-max-size': '524288000',
    });
  });

  it('a ~25 MiB MP4 in PATCHes of 3, 11, 7 MiB and the rest lands whole, with its SHA-256 and a media row', async () => {
    const u = await userWithSession();
    const file = mp4Of(25 * MiB);
    const { res, path } = await create(u, file.length, 'Straßenfest.mp4');
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toMatch(
      /^http:\/\/127\.0\.0\.1:8787\/api\/upload-video\/nemo_agent\/me\/ses_\w+\/tus\/tus_\w+$/,
    );
    const last = await upload(u, path, file, [3 * MiB, 11 * MiB, 7 * MiB]);
    const mediaId = last.headers.get('upload-media-id');
    expect(mediaId).toMatch(/^med_/);

    const [row] = await userStub(env, u.user_id).listMedia(u.session_id);
    expect(row).toMatchObject({
      media_id: mediaId,
      name: 'Straßenfest.mp4',
      kind: 'video',
      mime: 'video/mp4',
      size: file.length,
    });
    expect(row!.content_hash).toBe(await sha256(file));
    const stored = await env.MEDIA.get(row!.r2_key);
    expect(stored!.size).toBe(file.length);
    expect(await sha256(new Uint8Array(await stored!.arrayBuffer()))).toBe(await sha256(file));
    expect(await keysOf(u)).toEqual([row!.r2_key]); // no temporary tail left

    const h = await head(u, path);
    expect([h.status, h.headers.get('upload-offset'), h.headers.get('upload-length')]).toEqual([
      200,
      String(file.length),
      String(file.length),
    ]);
    expect([h.headers.get('upload-media-id'), h.headers.get('cache-control')]).toEqual([mediaId, 'no-store']);
    expect(h.headers.get('upload-metadata')).toBe(`filename ${b64('Straßenfest.mp4')},filetype ${b64('video/mp4')}`);
    const got = await json<{ media: { media_id: string; size: number }[] }>(await call(path, { token: u.token }));
    expect(got.data.media).toEqual([expect.objectContaining({ media_id: mediaId, size: file.length, kind: 'video' })]);
  }, 60_000);

  it('a small file: a first PATCH shorter than the sniffing window, then the rest (single put)', async () => {
    const u = await userWithSession();
    const file = fx.png();
    const { path } = await create(u, file.length, 'photo.png');
    await upload(u, path, file, [10]);
    const [row] = await userStub(env, u.user_id).listMedia(u.session_id);
    expect(row).toMatchObject({
      kind: 'image',
      mime: 'image/png',
      size: file.length,
      content_hash: await sha256(file),
    });
  });

  it('resumes after a dropped PATCH from the offset HEAD reports', async () => {
    const u = await userWithSession();
    const file = mp4Of(24 * MiB);
    const { path } = await create(u, file.length);
    expect((await patch(u, path, 0, file.slice(0, 2 * MiB))).status).toBe(204);
    // 13 MiB arrive, then the connection breaks.
    let sent = 2 * MiB;
    const broken = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 15 * MiB) return controller.error(new Error('connection lost'));
        controller.enqueue(file.slice(sent, sent + MiB));
        sent += MiB;
      },
    });
    const dropped = await patch(u, path, 2 * MiB, broken).catch((err: unknown) => err);
    const h = await head(u, path);
    const stored = Number(h.headers.get('upload-offset'));
    // Without a Content-Length a broken body can look like a short one to the server: either way the
    // bytes that arrived are kept, and a 204 (if any) must agree with HEAD.
    if (dropped instanceof Response && dropped.status === 204)
      expect(dropped.headers.get('upload-offset')).toBe(String(stored));
    expect(stored).toBeGreaterThanOrEqual(10 * MiB); // at least the whole part written during the PATCH
    expect(stored).toBeLessThanOrEqual(15 * MiB);
    const last = await upload(u, path, file, [5 * MiB], stored);
    expect(last.headers.get('upload-media-id')).toMatch(/^med_/);
    const [row] = await userStub(env, u.user_id).listMedia(u.session_id);
    expect([row!.size, row!.content_hash]).toEqual([file.length, await sha256(file)]);
    expect(await keysOf(u)).toEqual([row!.r2_key]);
  }, 60_000);

  it('a PATCH that hangs keeps its hold until it goes stale; then a resume takes over', async () => {
    const u = await userWithSession();
    const file = mp4Of(24 * MiB);
    const { path } = await create(u, file.length);
    let sent = 0;
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    const hanging = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent >= 13 * MiB) {
          await released;
          return controller.close();
        }
        controller.enqueue(file.slice(sent, sent + MiB));
        sent += MiB;
      },
    });
    const first = patch(u, path, 0, hanging);
    for (let i = 0; i < 500 && (await head(u, path)).headers.get('upload-offset') !== String(10 * MiB); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect((await head(u, path)).headers.get('upload-offset')).toBe(String(10 * MiB)); // the first part is saved
    const refused = await patch(u, path, 10 * MiB, file.slice(10 * MiB, 11 * MiB));
    expect([refused.status, (await json(refused)).message]).toEqual([
      409,
      'Another PATCH to this upload is in progress',
    ]);
    // As if 30 s had passed without a byte: the hold is stale.
    await runInDurableObject(rawUserStub(env, u.user_id), (_o: UserDO, s) => {
      s.storage.sql.exec('UPDATE tus_uploads SET lock_at = lock_at - 31000');
    });
    const last = await upload(u, path, file, [7 * MiB], 10 * MiB);
    expect(last.headers.get('upload-media-id')).toMatch(/^med_/);
    release();
    const late = await first;
    expect([late.status, (await json(late)).code]).toEqual([409, 409]);
    const [row] = await userStub(env, u.user_id).listMedia(u.session_id);
    expect([row!.size, row!.content_hash]).toEqual([file.length, await sha256(file)]);
    expect(await keysOf(u)).toEqual([row!.r2_key]); // the late PATCH's tail was removed
  }, 60_000);

  it('Upload-Metadata: `name` is the fallback for `filename`; a malformed pair is a 400', async () => {
    const u = await userWithSession();
    const named = await call(createPath(u.session_id), {
      method: 'POST',
      token: u.token,
      headers: { ...TUS, 'upload-length': String(fx.gif().length), 'upload-metadata': `name ${b64('日本.gif')},flag` },
    });
    expect(named.status).toBe(201);
    await upload(u, new URL(named.headers.get('location')!).pathname, fx.gif(), []);
    expect((await userStub(env, u.user_id).listMedia(u.session_id))[0]).toMatchObject({
      name: '日本.gif',
      kind: 'image',
    });
    const bad = await call(createPath(u.session_id), {
      method: 'POST',
      token: u.token,
      headers: { ...TUS, 'upload-length': '10', 'upload-metadata': 'filename not*base64!' },
    });
    expect([bad.status, (await json(bad)).code]).toEqual([400, 400]);
  });

  it('POST with X-HTTP-Method-Override works as PATCH and DELETE', async () => {
    const u = await userWithSession();
    const file = fx.mp4();
    const { path } = await create(u, file.length);
    const res = await call(path, {
      method: 'POST',
      token: u.token,
      headers: {
        ...TUS,
        'x-http-method-override': 'PATCH',
        'content-type': 'application/offset+octet-stream',
        'upload-offset': '0',
      },
      body: file.slice(0, 40),
    });
    expect([res.status, res.headers.get('upload-offset')]).toEqual([204, '40']);
    const del = await call(path, {
      method: 'POST',
      token: u.token,
      headers: { ...TUS, 'x-http-method-override': 'DELETE' },
    });
    expect(del.status).toBe(204);
    expect(await keysOf(u)).toEqual([]);
  });

  it('at most 20 unfinished uploads per user', async () => {
    const u = await userWithSession();
    for (let i = 0; i < 20; i++) expect((await create(u, 1000)).res.status).toBe(201);
    const { res } = await create(u, 1000);
    expect([res.status, (await json(res)).code]).toEqual([429, 429]);
  });

  it('a PATCH at the wrong offset is a 409 that names the stored offset', async () => {
    const u = await userWithSession();
    const file = fx.mp4();
    const { path } = await create(u, file.length);
    await patch(u, path, 0, file.slice(0, 20));
    const res = await patch(u, path, 10, file.slice(10));
    const body = await json<{ upload_offset: number }>(res);
    expect([res.status, body.code, body.data.upload_offset]).toEqual([409, 409, 20]);
    expect(res.headers.get('tus-resumable')).toBe('1.0.0');
  });

  it('two concurrent PATCHes at the same offset: one succeeds, the other gets 409', async () => {
    const u = await userWithSession();
    const file = mp4Of(12 * MiB);
    const { path } = await create(u, file.length);
    const statuses = await Promise.all([
      patch(u, path, 0, file.slice(0, 6 * MiB)),
      patch(u, path, 0, file.slice(0, 6 * MiB)),
    ]).then((rs) => rs.map((r) => r.status).sort());
    expect(statuses).toEqual([204, 409]);
    expect((await head(u, path)).headers.get('upload-offset')).toBe(String(6 * MiB));
  }, 30_000);

  it('requests without Tus-Resumable get 412 with Tus-Version', async () => {
    const u = await userWithSession();
    const res = await call(createPath(u.session_id), {
      method: 'POST',
      token: u.token,
      headers: { 'upload-length': '100' },
    });
    expect([res.status, res.headers.get('tus-version')]).toEqual([412, '1.0.0']);
    const { path } = await create(u, 100);
    const p = await call(path, {
      method: 'PATCH',
      token: u.token,
      headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' },
      body: new Uint8Array(10),
    });
    expect(p.status).toBe(412);
  });

  it('a PATCH with another content type is a 415', async () => {
    const u = await userWithSession();
    const { path } = await create(u, 100);
    const res = await patch(u, path, 0, new Uint8Array(10), { 'content-type': 'application/octet-stream' });
    expect(res.status).toBe(415);
    expect((await head(u, path)).headers.get('upload-offset')).toBe('0');
  });

  it('creation: over 500 MiB is 4002 with data.max_bytes; no Upload-Length is 400', async () => {
    const u = await userWithSession();
    const { res } = await create(u, MAX_UPLOAD_BYTES + 1, 'huge.mp4');
    const body = await json<{ max_bytes: number }>(res);
    expect([res.status, body.code, body.data.max_bytes]).toEqual([413, 4002, MAX_UPLOAD_BYTES]);
    expect(res.headers.get('tus-resumable')).toBe('1.0.0');
    const none = await call(createPath(u.session_id), { method: 'POST', token: u.token, headers: TUS });
    expect([none.status, (await json(none)).code]).toEqual([400, 400]);
  });

  it('first bytes that are not media: 4001 at the first PATCH, the upload is gone and nothing is stored', async () => {
    const u = await userWithSession();
    const text = new TextEncoder().encode('just some notes\n'.repeat(80_000)); // ~1.2 MiB
    const { path } = await create(u, text.length + 5 * MiB, 'notes.mp4');
    const res = await patch(u, path, 0, text);
    const body = await json<{ accepted: string[] }>(res);
    expect([res.status, body.code]).toEqual([415, 4001]);
    expect(body.data.accepted).toContain('mp4');
    expect(await keysOf(u)).toEqual([]);
    expect((await head(u, path)).status).toBe(404);
  });

  it('a truncated MP4 is found at completion: 4001, object removed, no row', async () => {
    const u = await userWithSession();
    const whole = mp4Of(14 * MiB);
    const cut = whole.slice(0, whole.length - 300); // the end of the moov box is missing
    const { path } = await create(u, cut.length, 'cut.mp4');
    expect((await patch(u, path, 0, cut.slice(0, 11 * MiB))).status).toBe(204);
    const res = await patch(u, path, 11 * MiB, cut.slice(11 * MiB));
    const body = await json<{ accepted: string[] }>(res);
    expect([res.status, body.code]).toEqual([415, 4001]);
    expect(body.message).toMatch(/cut\.mp4: incomplete or corrupt file/);
    expect(await keysOf(u)).toEqual([]);
    expect(await userStub(env, u.user_id).listMedia(u.session_id)).toEqual([]);
    expect((await head(u, path)).status).toBe(404);
  }, 30_000);

  it('DELETE mid-upload removes the multipart upload, the tail and the state', async () => {
    const u = await userWithSession();
    const file = mp4Of(15 * MiB);
    const { path } = await create(u, file.length);
    await patch(u, path, 0, file.slice(0, 12 * MiB));
    expect((await keysOf(u)).some((k) => k.includes('/tmp/tus/'))).toBe(true);
    const res = await call(path, { method: 'DELETE', token: u.token, headers: TUS });
    expect([res.status, res.headers.get('tus-resumable')]).toEqual([204, '1.0.0']);
    expect(await keysOf(u)).toEqual([]);
    expect((await head(u, path)).status).toBe(404);
    expect((await patch(u, path, 12 * MiB, file.slice(12 * MiB))).status).toBe(404);
    expect(await userStub(env, u.user_id).listMedia(u.session_id)).toEqual([]);
  }, 30_000);

  it("another user's session or upload is 1002", async () => {
    const owner = await userWithSession();
    const other = await userWithSession();
    const { res } = await create(other, 100, 'x.mp4', owner.session_id);
    expect([res.status, (await json(res)).code]).toEqual([404, 1002]);
    const { path } = await create(owner, 100);
    for (const method of ['HEAD', 'PATCH', 'DELETE', 'GET']) {
      const r = await call(path, {
        method,
        token: other.token,
        headers: { ...TUS, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' },
        body: method === 'PATCH' ? new Uint8Array(10) : undefined,
      });
      expect([method, r.status]).toEqual([method, 404]);
      if (method === 'GET') expect((await json(r)).code).toBe(1002);
    }
    expect((await head(owner, path)).headers.get('upload-offset')).toBe('0');
    const anon = await call(path, { method: 'HEAD', headers: TUS });
    expect(anon.status).toBe(401);
  });

  it('an upload untouched for 24 h is swept by the alarm with its R2 leftovers', async () => {
    const u = await userWithSession();
    const file = mp4Of(12 * MiB);
    const { path } = await create(u, file.length);
    await patch(u, path, 0, file.slice(0, 11 * MiB));
    expect(await keysOf(u)).not.toEqual([]);
    const alarmAt = await runInDurableObject(rawUserStub(env, u.user_id), (_o: UserDO, s) => s.storage.getAlarm());
    expect(alarmAt).not.toBeNull();
    await userStub(env, u.user_id).runCleanup(Date.now() + 1000);
    expect((await head(u, path)).status).toBe(200); // not stale yet
    await userStub(env, u.user_id).runCleanup(Date.now() + TUS_STALE_MS + 1000);
    expect((await head(u, path)).status).toBe(404);
    expect(await keysOf(u)).toEqual([]);
  }, 30_000);
});
