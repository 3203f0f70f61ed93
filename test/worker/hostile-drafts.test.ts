/**
 * Issue 11, item 3: bounded work per credit. Every draft below is refused with a 400 that names the
 * field and the limit, before any credit is frozen: the ledger, the draft, the media list and the
 * render list are exactly as before (never freeze-then-refund).
 */
import { describe, expect, it } from 'vitest';
import { DRAFT_LIMITS } from '../../src/draft/limits.ts';
import { MAX_JSON_BODY_BYTES } from '../../src/lib/json-limits.ts';
import { call, json } from './helpers.ts';
import { expectUnchanged, snapshot } from './hostile-helpers.ts';
import { draftOf, postRender, userWithClip } from './render-helpers.ts';

type Draft = ReturnType<typeof draftOf>;
/** Segment i of a cut-only edit: forward in the source, so many of them share one decode. */
const seg = (src: string, i: number, d = 100) => ({ id: `s${i}`, src, s: i * d, d, in: i * d * 1.5 });
/** The same source moment used again and again: each use needs its own decode. */
const repeat = (src: string, i: number) => ({ ...seg(src, i), in: 0 });

/** [what, draft change, expected message] */
const cases: [string, (d: Draft, media: string) => unknown, RegExp][] = [
  ['1e308 duration', (d) => ((d.t[0]!.sg[0] as { d: number }).d = 1e308), /field `draft\.t\.0\.sg\.0\.d`.*10800000/],
  ['1e308 in-point', (d) => ((d.t[0]!.sg[0] as { in: number }).in = 1e308), /field `draft\.t\.0\.sg\.0\.in`/],
  ['huge fade', (d) => Object.assign(d.t[0]!.sg[0]!, { m: { fade_in: 1e300 } }), /draft\.t\.0\.sg\.0\.m\.fade_in/],
  ['huge start', (d) => ((d.t[0]!.sg[0] as { s: number }).s = 9e15), /field `draft\.t\.0\.sg\.0\.s`/],
  ['draft d', (d) => (d.d = 1e308), /field `draft\.d`/],
  ['fps 1e-9', (d) => (d.fps = 1e-9), /field `draft\.fps`.*1/],
  ['fps 0.5', (d) => (d.fps = 0.5), /field `draft\.fps`/],
  ['fps 121', (d) => (d.fps = 121), /field `draft\.fps`.*120/],
  [
    'segments per draft',
    (d, media) => {
      // Three sources, so no one source reaches its own limit first.
      d.t[0]!.sg = Array.from({ length: DRAFT_LIMITS.maxSegments + 1 }, (_, i) => seg(`${media}_${i % 3}`, i));
    },
    /at most 500 per draft/,
  ],
  [
    'captions and texts per draft',
    // Text segments have their own cap (one libass filter per track, not a decode branch each).
    (d) =>
      d.t.push({
        id: 'cap',
        tt: 7,
        m: { kind: 'caption' },
        sg: Array.from({ length: DRAFT_LIMITS.maxTextSegments + 1 }, (_, i) => ({
          id: `c${i}`,
          text: 'w',
          s: i,
          d: 1,
        })),
      } as never),
    /field `draft\.t\.1\.sg\.6000`.*too many captions and texts: at most 6000 per draft/,
  ],
  [
    'segments per source',
    (d, media) => (d.t[0]!.sg = Array.from({ length: DRAFT_LIMITS.maxSegmentsPerSource + 1 }, (_, i) => seg(media, i))),
    /field `draft\.t\.0\.sg\.400\.src`.*at most 400 per source/,
  ],
  [
    'decodes per source (one moment repeated)',
    (d, media) =>
      (d.t[0]!.sg = Array.from({ length: DRAFT_LIMITS.maxDecodesPerSource + 1 }, (_, i) => repeat(media, i))),
    /field `draft\.t\.0\.sg\.0\.src`.*decoded 65 times.*at most 64 decodes per source/,
  ],
  [
    'decodes per draft',
    // Three sources, 51 repeats each: each under its own limit, 153 in all.
    (d, media) => (d.t[0]!.sg = Array.from({ length: 153 }, (_, i) => repeat(`${media}_${i % 3}`, i))),
    /too many separate decodes: at most 150 per draft/,
  ],
  [
    'text length',
    (d) => d.t.push({ id: 'tx', tt: 7, m: {}, sg: [{ id: 'x1', text: 'A'.repeat(501), s: 0, d: 1000 }] } as never),
    /field `draft\.t\.1\.sg\.0\.text`: at most 500 characters/,
  ],
  ['title length', (d) => Object.assign(d, { m: { title: 'T'.repeat(20_000) } }), /draft\.m\.title.*500/],
  ['tracks', (d) => (d.t = Array.from({ length: 17 }, (_, i) => ({ ...d.t[0]!, id: `v${i}`, sg: [] }))), /draft\.t/],
];

describe('drafts beyond the limits are refused before freezing credits', () => {
  it.each(cases)('%s', async (_what, change, message) => {
    const u = await userWithClip();
    const before = await snapshot(u);
    const draft = draftOf(u.mediaId);
    change(draft, u.mediaId);
    const res = await postRender(u.token, { id: 'render_hostile', sessionId: u.session_id, draft });
    const body = await json(res);
    expect(res.status, body.message).toBe(400);
    expect(body.code).toBe(400);
    expect(body.message).toMatch(message);
    await expectUnchanged(u, before, _what);
    expect((await call('/api/render/proxy/lambda/render_hostile', { token: u.token })).status).toBe(404);
  });

  it('refuses a 100k-deep body and a 5 MB body with 400 naming the limit', async () => {
    const u = await userWithClip();
    const before = await snapshot(u);
    const deep = `{"id":"render_deep","sessionId":"${u.session_id}","draft":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const r1 = await call('/api/render/proxy/lambda', {
      method: 'POST',
      token: u.token,
      headers: { 'content-type': 'application/json' },
      body: deep,
    });
    expect(r1.status).toBe(400);
    expect((await json(r1)).message).toMatch(/nested deeper than 32 levels/);
    const big = draftOf(u.mediaId, 10_000, { m: { junk: 'x'.repeat(5 * 1024 * 1024) } });
    const r2 = await postRender(u.token, { id: 'render_big', sessionId: u.session_id, draft: big });
    const body = await json<{ max_bytes: number }>(r2);
    expect(r2.status).toBe(400);
    expect(body.message).toMatch(/larger than 1048576 bytes/);
    expect(body.data.max_bytes).toBe(MAX_JSON_BODY_BYTES);
    await expectUnchanged(u, before, 'deep and big bodies');
  });

  it('the same draft within the limits is accepted and frozen (the cases above fail only on their limit)', async () => {
    const u = await userWithClip();
    const draft = draftOf(u.mediaId);
    draft.t[0]!.sg = Array.from({ length: DRAFT_LIMITS.maxSegmentsPerSource }, (_, i) => seg(u.mediaId, i));
    draft.d = DRAFT_LIMITS.maxSegmentsPerSource * 100;
    // Plus 1,500 caption cues (an hour and a half of talk): they do not count toward maxSegments.
    draft.t.push({
      id: 'cap',
      tt: 7,
      m: { kind: 'caption' },
      sg: Array.from({ length: 1500 }, (_, i) => ({ id: `c${i}`, text: `cue ${i}`, s: i * 20, d: 20 })),
    } as never);
    const res = await postRender(u.token, { id: 'render_ok', sessionId: u.session_id, draft });
    expect((await json(res)).code).toBe(0);
    // And 64 repeats of one moment (64 decodes) are still allowed.
    const again = draftOf(u.mediaId);
    again.t[0]!.sg = Array.from({ length: DRAFT_LIMITS.maxDecodesPerSource }, (_, i) => repeat(u.mediaId, i));
    again.d = DRAFT_LIMITS.maxDecodesPerSource * 100;
    const res2 = await postRender(u.token, { id: 'render_ok2', sessionId: u.session_id, draft: again });
    expect((await json(res2)).code).toBe(0);
  });
});
