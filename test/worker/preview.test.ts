/**
 * The preview route's refusals and its scaling, inside workerd (no engine in this project: the
 * real renders are in test/node/preview.test.ts).
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { DraftSchema } from '../../src/draft/schema.ts';
import { userStub } from '../../src/durable/user-stub.ts';
import { MAX_RUNNING_PREVIEWS, PREVIEW_MAX_MS, previewDraft, previewPrefix } from '../../src/render/preview.ts';
import { call, json, mintToken, userWithSession } from './helpers.ts';
import { draftOf, userWithClip } from './render-helpers.ts';

const preview = (token: string, sid: string) => call(`/api/preview/${sid}`, { method: 'POST', token });

describe('POST /api/preview/:sid', () => {
  it('refuses an empty draft, a draft over the limit, and a session that is not yours', async () => {
    const u = await userWithSession();
    const empty = await json(await preview(u.token, u.session_id));
    expect(empty.code).toBe(400);
    expect(empty.message).toMatch(/no video yet/);

    const c = await userWithClip();
    const long = DraftSchema.parse(draftOf(c.mediaId, PREVIEW_MAX_MS + 1000));
    await userStub(env, c.user_id).commitDraft(c.session_id, long, { op: 'test' });
    const tooLong = await json<{ max_ms: number }>(await preview(c.token, c.session_id));
    expect(tooLong.code).toBe(400);
    expect(tooLong.data.max_ms).toBe(PREVIEW_MAX_MS);

    const other = await mintToken();
    expect((await json(await preview(other.token, c.session_id))).code).toBe(1002);
    expect((await preview('', c.session_id)).status).toBe(401);
  });

  it('says why when there is no engine, and leaves nothing behind to block a retry', async () => {
    const c = await userWithClip();
    await userStub(env, c.user_id).commitDraft(c.session_id, DraftSchema.parse(draftOf(c.mediaId, 5000)), {
      op: 'test',
    });
    for (let i = 0; i < 2; i++) {
      const r = await json<{ status: string; error: string; width: number; height: number }>(
        await preview(c.token, c.session_id),
      );
      expect(r.code).toBe(0);
      expect(r.data).toMatchObject({ status: 'failed', width: 360, height: 640 });
      expect(r.data.error).toMatch(/No media engine configured/);
    }
    expect((await env.MEDIA.list({ prefix: previewPrefix(c.user_id, c.session_id) })).objects).toEqual([]);
  });

  it(`allows ${MAX_RUNNING_PREVIEWS} previews rendering at once per user, across projects`, async () => {
    const c = await userWithClip();
    await userStub(env, c.user_id).commitDraft(c.session_id, DraftSchema.parse(draftOf(c.mediaId, 5000)), {
      op: 'test',
    });
    // Other projects' previews under way (job markers without their MP4), and a finished one that does not count.
    await env.MEDIA.put(`${previewPrefix(c.user_id, 'sess_a')}v1-aa.job`, 'job_a');
    await env.MEDIA.put(`${previewPrefix(c.user_id, 'sess_b')}v3-bb.job`, 'job_b');
    await env.MEDIA.put(`${previewPrefix(c.user_id, 'sess_c')}v2-cc.job`, 'job_c');
    await env.MEDIA.put(`${previewPrefix(c.user_id, 'sess_c')}v2-cc.mp4`, 'mp4');
    const res = await preview(c.token, c.session_id);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('5');
    expect((await json(res)).message).toMatch(/2 previews of other projects are still rendering/);
    await env.MEDIA.delete(`${previewPrefix(c.user_id, 'sess_b')}v3-bb.job`);
    expect((await json(await preview(c.token, c.session_id))).code).toBe(0);
  });

  it('scales the frame to 360 on the short side and explicit text sizes with it', () => {
    const d = DraftSchema.parse({
      ...draftOf('med_x', 4000),
      t: [
        ...draftOf('med_x', 4000).t,
        { id: 't', tt: 7, m: {}, sg: [{ id: 'a', text: 'Hi', s: 0, d: 1000, m: { size: 120 } }] },
      ],
    });
    const small = previewDraft(d);
    expect([small.w, small.h]).toEqual([360, 640]);
    const seg = small.t[1]!.sg[0] as { m: { size?: number } };
    expect(seg.m.size).toBeCloseTo(40, 5);
    // Already small: left alone.
    expect(previewDraft({ ...d, w: 320, h: 240 })).toMatchObject({ w: 320, h: 240 });
  });
});
