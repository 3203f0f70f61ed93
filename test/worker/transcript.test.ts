/**
 * The transcript API on a real Worker (local Durable Object and R2): read, cut and restore by
 * word ids, correct captions, replace one caption, pending clips, and the errors a client sees.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { analysisKey } from '../../src/agent/analysis.ts';
import { addCaptions } from '../../src/draft/ops/add-captions.ts';
import { DraftSchema } from '../../src/draft/schema.ts';
import { userStub } from '../../src/durable/user-stub.ts';
import { call, json, userWithSession } from './helpers.ts';
import { ANALYSIS, MEDIA } from './ops-fixtures.ts';
import { mp4 } from './uploads-fixtures.ts';

type User = Awaited<ReturnType<typeof userWithSession>>;
interface Word {
  id: string;
  text: string;
  s: number | null;
  cut: boolean;
}
interface Data {
  draft_version: number;
  words: Word[];
  pending: { media_id: string; status: string; estimated_ms: number }[];
}

const path = (u: User, rest = '') => `/api/transcript/nemo_agent/me/${u.session_id}${rest}`;

/** Uploads a clip, puts it on the timeline (10 s, as ops-fixtures' med_a) and optionally caches its analysis. */
async function sessionWithClip(opts: { analysed?: boolean; captions?: boolean } = {}) {
  const u = await userWithSession();
  const up = await call(`/api/upload-video/nemo_agent/me/${u.session_id}/raw`, {
    method: 'PUT',
    token: u.token,
    headers: { 'x-file-name': 'talk.mp4', 'content-length': String(mp4().length) },
    body: mp4(),
  });
  const media = (await json<{ media: { media_id: string }[] }>(up)).data.media[0]!;
  const user = userStub(env, u.user_id);
  const [record] = await user.listMedia(u.session_id);
  const words = ANALYSIS.med_a!;
  const analysis = { ...words, words: words.words.map((w) => ({ ...w, conf: 0.9 })) };
  if (opts.analysed !== false)
    await env.MEDIA.put(
      analysisKey(record!, 'en'),
      JSON.stringify({
        content_hash: 'x',
        duration_ms: 10_000,
        language: 'en',
        asr_provider: 'test',
        cached: false,
        ...analysis,
      }),
    );
  let draft = DraftSchema.parse({
    w: 1080,
    h: 1920,
    d: 10_000,
    t: [{ id: 'v1', tt: 0, m: {}, sg: [{ id: 's1', src: media.media_id, s: 0, d: 10_000, in: 0 }] }],
  });
  if (opts.captions)
    draft = addCaptions.apply(draft, addCaptions.args.parse({}), {
      media: [{ ...MEDIA[0]!, media_id: media.media_id }],
      analysis: { [media.media_id]: analysis },
      language: 'en',
    });
  const { version } = await user.commitDraft(u.session_id, draft, { op: 'test:setup' });
  return { u, mediaId: media.media_id, version };
}

describe('transcript API', () => {
  it('lists every word with a stable id, times and flags; txt, SRT and VTT renderings', async () => {
    const { u, mediaId } = await sessionWithClip();
    const res = await json<Data>(await call(path(u), { token: u.token }));
    expect(res.code).toBe(0);
    expect(res.data.pending).toEqual([]);
    expect(res.data.words.map((w) => w.text)).toEqual(ANALYSIS.med_a!.words.map((w) => w.w));
    expect(res.data.words[0]).toMatchObject({ id: `${mediaId}:0`, s: 0, cut: false, conf: 0.9, filler: false });
    expect(res.data.words[1]).toMatchObject({ text: 'um', filler: true });

    const txt = await (await call(path(u, '?format=txt'), { token: u.token })).text();
    // A pause of 1.5 s or more starts a paragraph (the one before "Bye." is 1.2 s).
    expect(txt).toBe('Hello um world.\n\nThis is a test uh of captions today. Bye.\n');
    const srt = await call(path(u, '?format=srt'), { token: u.token });
    expect(srt.headers.get('content-type')).toMatch(/application\/x-subrip/);
    expect(await srt.text()).toMatch(/^1\n00:00:00,000 --> 00:00:01,900\nHello um world\.\n/);
    const vtt = await (await call(path(u, '?format=vtt'), { token: u.token })).text();
    expect(vtt).toMatch(/^WEBVTT\n\n00:00:00\.000 --> 00:00:01\.900\n/);
  });

  it('cuts a word range as one undoable version, restores it, and refuses a stale base version', async () => {
    const { u, mediaId, version } = await sessionWithClip();
    const cut = await json<Data>(
      await call(path(u, '/cut'), {
        method: 'POST',
        token: u.token,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from_id: `${mediaId}:3`, to_id: `${mediaId}:6`, base_version: version }),
      }),
    );
    expect(cut.code).toBe(0);
    expect(cut.data.draft_version).toBe(version + 1);
    expect(cut.data.words.filter((w) => w.cut).map((w) => w.text)).toEqual(['This', 'is', 'a', 'test']);
    const txt = await (await call(path(u, '?format=txt'), { token: u.token })).text();
    expect(txt).not.toMatch(/This|test/);

    const stale = await json(
      await call(path(u, '/cut'), {
        method: 'POST',
        token: u.token,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from_id: `${mediaId}:0`, base_version: version }),
      }),
    );
    expect(stale.code).toBe(409);

    const back = await json<Data>(
      await call(path(u, '/cut'), {
        method: 'POST',
        token: u.token,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from_id: `${mediaId}:3`, to_id: `${mediaId}:6`, restore: true }),
      }),
    );
    expect(back.code).toBe(0);
    expect(back.data.words.every((w) => !w.cut)).toBe(true);
    expect(back.data.draft_version).toBe(version + 2);
    // Undo goes back through both edits.
    const user = userStub(env, u.user_id);
    await user.undo(u.session_id);
    expect((await user.getDraft(u.session_id)).draft.d).toBe(10_000 - 2950);
  });

  it('corrects captions (remembered), replaces one caption; unknown words and captions are 400s naming them', async () => {
    const { u } = await sessionWithClip({ captions: true });
    const post = (rest: string, body: unknown, method = 'POST') =>
      call(path(u, rest), {
        method,
        token: u.token,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => json<Data>(r));
    const fixed = await post('/corrections', { from: 'captions', to: 'subtitles' });
    expect(fixed.code).toBe(0);
    expect(fixed.data.words.map((w) => w.text)).toContain('subtitles');
    const { draft } = await userStub(env, u.user_id).getDraft(u.session_id);
    const caps = draft.t.find((t) => t.tt === 7)!;
    expect(caps.sg.map((s) => ('text' in s ? s.text : '')).join(' ')).toContain('subtitles today.');
    expect(draft.m?.glossary).toEqual([{ from: 'captions', to: 'subtitles' }]);

    const replaced = await post(`/captions/${caps.sg[0]!.id}`, { text: 'Hello, world!' }, 'PUT');
    expect(replaced.code).toBe(0);
    const missing = await post('/corrections', { from: 'zebra', to: 'x' });
    expect(missing).toMatchObject({ code: 400, message: expect.stringMatching(/do not contain "zebra"/) });
    const noWord = await post('/cut', { from_id: 'med_nope:1' });
    expect(noWord).toMatchObject({ code: 400, message: expect.stringMatching(/med_nope:1/) });
    const noCaption = await post('/captions/zz9', { text: 'x' }, 'PUT');
    expect(noCaption).toMatchObject({ code: 400, message: expect.stringMatching(/no caption zz9/) });
  });

  it('says when a clip is still being analysed, and how long, instead of returning nothing', async () => {
    const { u, mediaId } = await sessionWithClip({ analysed: false });
    const res = await json<Data>(await call(path(u), { token: u.token }));
    expect(res.data.words).toEqual([]);
    expect(res.data.pending).toEqual([
      expect.objectContaining({ media_id: mediaId, status: 'analysing', estimated_ms: expect.any(Number) }),
    ]);
    const txt = await json(await call(path(u, '?format=txt'), { token: u.token }));
    expect(txt).toMatchObject({ code: 409, message: expect.stringMatching(/still being analysed \(about \d+ s\)/) });
    const other = await userWithSession();
    const foreign = await json(await call(path(u), { token: other.token }));
    expect(foreign.code).toBe(1002);
  });
});

describe('captions from an uploaded script or subtitle file', () => {
  const put = (u: User, body: string, type = 'text/plain') =>
    call(path(u, '/script'), { method: 'PUT', token: u.token, headers: { 'content-type': type }, body }).then((r) =>
      json<Data & { script: string }>(r),
    );
  const captionTexts = async (u: User) => {
    const { draft } = await userStub(env, u.user_id).getDraft(u.session_id);
    return draft.t
      .find((t) => t.tt === 7 && t.m.kind === 'caption')!
      .sg.map((s) => ('text' in s ? [s.text, s.s, s.d] : []));
  };

  it('a .txt script is aligned to the speech; its words become the captions', async () => {
    const { u } = await sessionWithClip();
    const res = await put(u, "Hello, world! This is the test of Carl's party today. Goodbye.");
    expect(res).toMatchObject({ code: 0, data: { script: 'text' } });
    const texts = (await captionTexts(u)).map((c) => c[0]).join(' ');
    expect(texts).toContain("Carl's party today.");
    expect(texts).toContain('Hello, world!');
  });

  it('an .srt keeps its own timing, moved through the cuts; a .vtt parses too', async () => {
    const { u, mediaId } = await sessionWithClip();
    // Cut 2050-5000 first ("This is a test"), then upload subtitles timed on the original recording.
    await call(path(u, '/cut'), {
      method: 'POST',
      token: u.token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from_id: `${mediaId}:3`, to_id: `${mediaId}:6` }),
    });
    const srt =
      '\uFEFF1\r\n00:00:00,000 --> 00:00:01,900\r\nHello world.\r\n\r\n2\r\n00:00:03,500 --> 00:00:05,000\r\nThis is a test\r\n\r\n3\r\n00:00:06,300 --> 00:00:07,900\r\nCaptions today.\r\n';
    expect(await put(u, srt, 'application/x-subrip')).toMatchObject({ code: 0, data: { script: 'srt' } });
    // The second cue lay wholly in the cut; the third moved 2950 ms earlier.
    expect(await captionTexts(u)).toEqual([
      ['Hello world.', 0, 1900],
      ['Captions today.', 6300 - 2950, 1600],
    ]);
    const vtt = 'WEBVTT\n\nNOTE made by hand\n\n00:00.000 --> 00:01.900 align:start\n<v Me>Hello</v> world.\n';
    expect(await put(u, vtt, 'text/vtt')).toMatchObject({ code: 0, data: { script: 'vtt' } });
    expect(await captionTexts(u)).toEqual([['Hello world.', 0, 1900]]);
  });

  it('refuses what is not a script, with the reason', async () => {
    const { u } = await sessionWithClip();
    expect(await put(u, '   ')).toMatchObject({ code: 400, message: 'The script is empty' });
    const binary = await call(path(u, '/script'), {
      method: 'PUT',
      token: u.token,
      body: new Uint8Array([0xff, 0xfe, 0x00, 0xd8]),
    });
    expect(await json(binary)).toMatchObject({ code: 4001, message: expect.stringMatching(/UTF-8 text/) });
    // A cue longer than a caption may be: 400 naming the field, nothing saved.
    const long = await put(u, `1\n00:00:00,000 --> 00:00:01,000\n${'x'.repeat(600)}\n`);
    expect(long).toMatchObject({ code: 400, message: expect.stringMatching(/cues\.0\.text/) });
    // A chunked body (no Content-Length) past 1 MiB is refused while it is read.
    const stream = new ReadableStream({
      start(ctl) {
        for (let i = 0; i < 20; i++) ctl.enqueue(new TextEncoder().encode('word '.repeat(20_000)));
        ctl.close();
      },
    });
    const big = await call(path(u, '/script'), {
      method: 'PUT',
      token: u.token,
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(await json(big)).toMatchObject({ code: 4002, message: expect.stringMatching(/larger than 1048576 bytes/) });
    expect(await put(u, '1\n00:00:05,000 --> 00:00:01,000\nbackwards\n')).toMatchObject({
      code: 400,
      message: expect.stringMatching(/No cues could be read from the SRT file/),
    });
  });
});
