import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { userStub } from '../../src/durable/user-stub.ts';
import { toHex } from '../../src/lib/ids.ts';
import { MAX_UPLOAD_BYTES } from '../../src/uploads/limits.ts';
import { call, json, userWithSession } from './helpers.ts';
import * as fx from './uploads-fixtures.ts';

type Media = {
  media_id: string;
  name: string;
  kind: string;
  size: number;
  duration_ms: number | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  has_audio: boolean | null;
};
type User = Awaited<ReturnType<typeof userWithSession>>;

const uploadPath = (sid: string) => `/api/upload-video/nemo_agent/me/${sid}`;

function multipart(u: User, files: { name: string; bytes: Uint8Array; type?: string }[], sid = u.session_id) {
  const form = new FormData();
  for (const f of files)
    form.append('file', new Blob([f.bytes], { type: f.type ?? 'application/octet-stream' }), f.name);
  return call(uploadPath(sid), { method: 'POST', token: u.token, body: form });
}

function raw(u: User, name: string, bytes: Uint8Array) {
  return call(`${uploadPath(u.session_id)}/raw`, {
    method: 'PUT',
    token: u.token,
    headers: { 'x-file-name': encodeURIComponent(name), 'content-length': String(bytes.length) },
    body: bytes,
  });
}

const sha256 = async (b: Uint8Array) => toHex(await crypto.subtle.digest('SHA-256', b));

async function mediaList(u: User) {
  const res = await json<{ video_infos: Media[] }>(
    await call(`/api/state/nemo_agent/me/${u.session_id}/latest`, { token: u.token }),
  );
  return res.data.video_infos;
}

async function objectsOf(u: User) {
  return (await env.MEDIA.list({ prefix: `u/${u.user_id}/` })).objects;
}

/** After a refused upload: nothing in the media list, nothing in R2 under the user's prefix. */
async function expectNothingStored(u: User) {
  expect(await mediaList(u)).toEqual([]);
  expect(await objectsOf(u)).toEqual([]);
}

const ACCEPTED: [string, () => Uint8Array, string, string][] = [
  ['clip.mp4', fx.mp4, 'video', 'video/mp4'],
  ['clip.mov', fx.mov, 'video', 'video/quicktime'],
  ['old-quicktime.mov', fx.oldMov, 'video', 'video/quicktime'],
  ['clip.avi', fx.avi, 'video', 'video/x-msvideo'],
  ['clip.webm', fx.webm, 'video', 'video/webm'],
  ['clip.mkv', fx.mkv, 'video', 'video/x-matroska'],
  ['photo.jpg', fx.jpg, 'image', 'image/jpeg'],
  ['photo.png', fx.png, 'image', 'image/png'],
  ['anim.gif', fx.gif, 'image', 'image/gif'],
  ['photo.webp', fx.webp, 'image', 'image/webp'],
  ['song.mp3', fx.mp3, 'audio', 'audio/mpeg'],
  ['tagged.mp3', fx.mp3WithId3, 'audio', 'audio/mpeg'],
  ['voice.wav', fx.wav, 'audio', 'audio/wav'],
  ['voice.m4a', fx.m4a, 'audio', 'audio/mp4'],
  ['voice.aac', fx.aac, 'audio', 'audio/aac'],
];

describe('POST /api/upload-video/nemo_agent/me/:sid (multipart)', () => {
  it.each(ACCEPTED)('stores %s, typed by content', async (name, make, kind, mime) => {
    const u = await userWithSession();
    const bytes = make();
    const res = await multipart(u, [{ name, bytes }]);
    const body = await json<{ media: Media[] }>(res);
    expect(body.code, body.message).toBe(0);
    expect(res.status).toBe(200);
    const [m] = body.data.media;
    // No engine in this test project (ENGINE_URL ''): probe fields stay null.
    expect(m).toEqual({
      media_id: expect.stringMatching(/^med_[0-9a-f]{24}$/),
      name,
      kind,
      size: bytes.length,
      duration_ms: null,
      width: null,
      height: null,
      fps: null,
      has_audio: null,
    });
    // The state adds analysis_ready, false here: no engine runs in the Workers test project.
    expect(await mediaList(u)).toEqual(body.data.media.map((m) => ({ ...m, analysis_ready: false })));

    const [row] = await userStub(env, u.user_id).listMedia(u.session_id);
    expect(row!.mime).toBe(mime);
    expect(row!.content_hash).toBe(await sha256(bytes));
    expect(row!.r2_key).toBe(`u/${u.user_id}/media/${m!.media_id}/${name}`);
    const object = await env.MEDIA.get(row!.r2_key);
    expect(object?.size).toBe(bytes.length);
    expect(object?.httpMetadata?.contentType).toBe(mime);
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(bytes);
  });

  it('trusts the content over the name: a PNG called .mp4 is an image', async () => {
    const u = await userWithSession();
    const body = await json<{ media: Media[] }>(
      await multipart(u, [{ name: 'holiday.mp4', bytes: fx.png(), type: 'video/mp4' }]),
    );
    expect(body.code).toBe(0);
    expect(body.data.media[0]).toMatchObject({ name: 'holiday.mp4', kind: 'image' });
  });

  it('decodes the quote and line breaks that form encoders escape in file names (%22, %0A, %0D), nothing else', async () => {
    // Browsers (HTML's multipart/form-data encoding) and curl send `my "best" take.mp4` as `my %22best%22 take.mp4`.
    const u = await userWithSession();
    const res = await multipart(u, [
      { name: 'my "best" take.mp4', bytes: fx.mp4() },
      { name: '100%25 real.png', bytes: fx.png() },
    ]);
    expect(res.status).toBe(200);
    expect((await mediaList(u)).map((m) => m.name)).toEqual(['my "best" take.mp4', '100%25 real.png']);
  });

  it('stores several files of one request, in order', async () => {
    const u = await userWithSession();
    const files = [
      { name: 'a.mp4', bytes: fx.mp4() },
      { name: 'b.wav', bytes: fx.wav() },
      { name: 'c.png', bytes: fx.png() },
    ];
    const body = await json<{ media: Media[] }>(await multipart(u, files));
    expect(body.code, body.message).toBe(0);
    expect(body.data.media.map((m) => [m.name, m.kind, m.size])).toEqual(
      files.map((f, i) => [f.name, ['video', 'audio', 'image'][i], f.bytes.length]),
    );
    expect((await mediaList(u)).length).toBe(3);
    expect((await objectsOf(u)).length).toBe(3);
  });

  it('is all or nothing: one bad file refuses the request and names it', async () => {
    const u = await userWithSession();
    const res = await multipart(u, [
      { name: 'good.mp4', bytes: fx.mp4() },
      { name: 'good.png', bytes: fx.png() },
      { name: 'notes.mp4', bytes: new TextEncoder().encode('just some text, not a video') },
    ]);
    const body = await json(res);
    expect([res.status, body.code]).toEqual([415, 4001]);
    expect(body.message).toMatch(/notes\.mp4/);
    await expectNothingStored(u);
  });

  it('ignores text fields next to the files', async () => {
    const u = await userWithSession();
    const form = new FormData();
    form.append('note', 'hello');
    form.append('file', new Blob([fx.gif()]), 'x.gif');
    const body = await json<{ media: Media[] }>(
      await call(uploadPath(u.session_id), { method: 'POST', token: u.token, body: form }),
    );
    expect(body.data.media.map((m) => m.kind)).toEqual(['image']);
  });

  it('answers 400 for a multipart body with no file', async () => {
    const u = await userWithSession();
    const form = new FormData();
    form.append('note', 'hello');
    const res = await call(uploadPath(u.session_id), { method: 'POST', token: u.token, body: form });
    expect((await json(res)).code).toBe(400);
    await expectNothingStored(u);
  });
});

const truncated = (b: Uint8Array, drop: number) => b.subarray(0, b.length - drop);
const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

const BAD: [string, string, () => Uint8Array, RegExp][] = [
  ['a text file named .mp4', 'notes.mp4', () => new TextEncoder().encode('hello, I am not a video'), /not a supported/],
  ['zero bytes', 'empty.mp4', () => new Uint8Array(0), /empty/],
  ['random bytes', 'noise.mov', () => random(8192), /not a supported/],
  [
    'a HEIC photo (ISO-BMFF, not a video)',
    'photo.mp4',
    () => fx.concat(fx.ftyp('heic', 'mif1'), fx.box('meta')),
    /not a supported/,
  ],
  ['a truncated MP4', 'cut.mp4', () => truncated(fx.mp4(), 20), /truncated/],
  ['an MP4 without moov', 'nomoov.mp4', () => fx.concat(fx.ftyp('isom'), fx.box('mdat', new Uint8Array(100))), /moov/],
  ['an MP4 with bytes after its last box', 'tail.mp4', () => fx.concat(fx.mp4(), new Uint8Array(3)), /box header/],
  ['a truncated WAV', 'cut.wav', () => truncated(fx.wav(), 100), /RIFF/],
  ['a truncated AVI', 'cut.avi', () => truncated(fx.avi(), 10), /RIFF/],
  ['a truncated PNG', 'cut.png', () => truncated(fx.png(), 5), /IEND/],
  ['a truncated JPEG', 'cut.jpg', () => truncated(fx.jpg(), 2), /FFD9/],
  ['a truncated GIF', 'cut.gif', () => truncated(fx.gif(), 1), /0x3B/],
  ['a WebP whose RIFF size overshoots', 'cut.webp', () => truncated(fx.webp(), 8), /RIFF/],
];

describe('refused uploads leave nothing behind', () => {
  it.each(BAD)('multipart: refuses %s with 4001', async (_what, name, make, message) => {
    const u = await userWithSession();
    const res = await multipart(u, [{ name, bytes: make() }]);
    const body = await json<{ accepted: string[] }>(res);
    expect([res.status, body.code]).toEqual([415, 4001]);
    expect(body.message).toMatch(message);
    expect(body.message).toContain(name);
    expect(body.data.accepted).toEqual([
      'mp4',
      'mov',
      'avi',
      'webm',
      'mkv',
      'jpg',
      'png',
      'gif',
      'webp',
      'mp3',
      'wav',
      'm4a',
      'aac',
    ]);
    await expectNothingStored(u);
  });

  it.each(BAD)('raw PUT: refuses %s with 4001', async (_what, name, make, message) => {
    const u = await userWithSession();
    const res = await raw(u, name, make());
    const body = await json<{ accepted: string[] }>(res);
    expect([res.status, body.code]).toEqual([415, 4001]);
    expect(body.message).toMatch(message);
    await expectNothingStored(u);
  });

  it('refuses a declared length over 500 MiB up front, without reading the body', async () => {
    const u = await userWithSession();
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1 << 20;
        controller.enqueue(new Uint8Array(1 << 20));
      },
    });
    const res = await call(`${uploadPath(u.session_id)}/raw`, {
      method: 'PUT',
      token: u.token,
      headers: { 'x-file-name': 'huge.mp4', 'content-length': String(MAX_UPLOAD_BYTES + 1) },
      body,
    });
    const env = await json<{ max_bytes: number }>(res);
    expect([res.status, env.code, env.data.max_bytes]).toEqual([413, 4002, 500 * 1024 * 1024]);
    expect(pulled).toBeLessThan(64 << 20);
    await expectNothingStored(u);
  });

  it('raw PUT: needs Content-Length', async () => {
    const u = await userWithSession();
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(fx.mp4());
        c.close();
      },
    });
    const res = await call(`${uploadPath(u.session_id)}/raw`, { method: 'PUT', token: u.token, body });
    expect((await json(res)).code).toBe(400);
    await expectNothingStored(u);
  });
});

describe('auth and sessions', () => {
  it('answers 1001 without a token', async () => {
    const u = await userWithSession();
    const form = new FormData();
    form.append('file', new Blob([fx.png()]), 'a.png');
    const res = await call(uploadPath(u.session_id), { method: 'POST', body: form });
    expect([res.status, (await json(res)).code]).toEqual([401, 1001]);
    await expectNothingStored(u);
  });

  it("answers 1002 for another user's session, storing nothing anywhere", async () => {
    const owner = await userWithSession();
    const intruder = await userWithSession();
    const res = await multipart(intruder, [{ name: 'a.png', bytes: fx.png() }], owner.session_id);
    expect([res.status, (await json(res)).code]).toEqual([404, 1002]);
    const rawRes = await call(`${uploadPath(owner.session_id)}/raw`, {
      method: 'PUT',
      token: intruder.token,
      headers: { 'x-file-name': 'a.png' },
      body: fx.png(),
    });
    expect((await json(rawRes)).code).toBe(1002);
    await expectNothingStored(owner);
    await expectNothingStored(intruder);
  });
});

describe('PUT .../raw', () => {
  it('stores the body under its X-File-Name (percent-decoded), hashed', async () => {
    const u = await userWithSession();
    const bytes = fx.wav(4000);
    const body = await json<{ media: Media[] }>(await raw(u, 'interview take 2 é.wav', bytes));
    expect(body.code, body.message).toBe(0);
    expect(body.data.media[0]).toMatchObject({ name: 'interview take 2 é.wav', kind: 'audio', size: bytes.length });
    const [row] = await userStub(env, u.user_id).listMedia(u.session_id);
    expect(row!.r2_key).toMatch(new RegExp(`^u/${u.user_id}/media/med_[0-9a-f]+/interview_take_2_e_?.wav$`));
    expect(row!.content_hash).toBe(await sha256(bytes));
    expect((await env.MEDIA.head(row!.r2_key))?.size).toBe(bytes.length);
  });
});

describe('JSON {url}', () => {
  const postUrl = (u: User, url: unknown) =>
    call(uploadPath(u.session_id), {
      method: 'POST',
      token: u.token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url }),
    });

  it.each(['ftp://example.com/a.mp4', 'file:///etc/passwd', 'data:video/mp4;base64,AAAA'])(
    'refuses %s with 400',
    async (url) => {
      const u = await userWithSession();
      const res = await postUrl(u, url);
      const body = await json(res);
      expect([res.status, body.code]).toEqual([400, 400]);
      expect(body.message).toMatch(/url/);
      await expectNothingStored(u);
    },
  );

  it('answers 400 naming the field for a missing url', async () => {
    const u = await userWithSession();
    const body = await json(await postUrl(u, 42));
    expect(body.code).toBe(400);
    expect(body.message).toMatch(/field `url`/);
  });

  it('answers 400 when the URL cannot be fetched', async () => {
    const u = await userWithSession();
    const body = await json(await postUrl(u, 'http://127.0.0.1:9/nothing.mp4'));
    expect(body.code).toBe(400);
    expect(body.message).toMatch(/Could not fetch/);
    await expectNothingStored(u);
  });
});

describe('route docs', () => {
  it('lists both upload routes in /openapi.json', async () => {
    const doc = (await (await call('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/api/upload-video/nemo_agent/me/{sid}'] ?? {})).toContain('post');
    expect(Object.keys(doc.paths['/api/upload-video/nemo_agent/me/{sid}/raw'] ?? {})).toContain('put');
  });
});
