import { env } from 'cloudflare:test';
import { NonRetryableError } from 'cloudflare:workflows';
import { describe, expect, it } from 'vitest';
import { userStub } from '../../src/durable/user-stub.ts';
import { renderInstanceId } from '../../src/lib/storage-keys.ts';
import { RenderBody } from '../../src/routes/render.ts';
import { call, json, mintToken } from './helpers.ts';
import {
  doneJob,
  draftOf,
  expectBalanced,
  fakeEngineOutput,
  introspect,
  ledgerFor,
  poll,
  postRender,
  userWithClip,
} from './render-helpers.ts';

describe('render workflow', () => {
  it('goes done, spends the frozen credits and serves the file with Range', async () => {
    const u = await userWithClip();
    const rid = 'render_done_1';
    await fakeEngineOutput(u.user_id, rid);
    await using wf = await introspect(u.user_id, rid);
    await wf.modify(async (m) => {
      await m.disableSleeps();
      await m.mockStepResult({ name: 'start engine job' }, 'job_1');
      await m.mockStepResult({ name: 'poll engine 1' }, doneJob(30_000));
    });
    const res = await postRender(u.token, {
      id: rid,
      sessionId: u.session_id,
      draft: draftOf(u.mediaId, 30_000),
      output: { format: 'mp4', quality: 'high' },
    });
    const started = await json<{ render_id: string; status: string }>(res);
    expect(started).toMatchObject({ code: 0, data: { render_id: rid, status: 'queued' } });
    expect(await expectBalanced(u.user_id)).toMatchObject({ available: 97, frozen: 3, spent: 0 });

    await wf.waitForStatus('complete');
    const p = await poll(u.token, rid);
    expect(p.data).toMatchObject({ render_id: rid, status: 'done', progress: 1 });
    expect(p.data.url).toMatch(/\/api\/blob\/u\/.+\/renders\/render_done_1\/out\.mp4\?m=GET/);
    expect(p.data.share_url).toMatch(/\/s\/[A-Za-z0-9_-]{64}$/);
    expect(p.data.expires_at).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);
    // 30 s at 1080p costs 3 credits: frozen at POST, spent on success, one row each.
    expect(await expectBalanced(u.user_id)).toMatchObject({ available: 97, frozen: 0, spent: 3 });
    expect(await ledgerFor(u.user_id, rid)).toEqual([
      ['spend', 3],
      ['freeze', 3],
    ]);

    const ranged = await call(new URL(p.data.url!).pathname + new URL(p.data.url!).search, {
      headers: { range: 'bytes=0-99' },
    });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe('bytes 0-99/2048');
    expect((await ranged.arrayBuffer()).byteLength).toBe(100);

    const state = await json<{ generated_media: { render_id: string; url: string }[] }>(
      await call(`/api/state/nemo_agent/me/${u.session_id}/latest`, { token: u.token }),
    );
    expect(state.data.generated_media.map((g) => g.render_id)).toEqual([rid]);
  });

  it('refunds when the engine fails the job, with its error', async () => {
    const u = await userWithClip();
    const rid = 'render_fail_1';
    await using wf = await introspect(u.user_id, rid);
    await wf.modify(async (m) => {
      await m.disableSleeps();
      await m.mockStepResult({ name: 'start engine job' }, 'job_1');
      await m.mockStepResult({ name: 'poll engine 1' }, { job_id: 'job_1', status: 'rendering', progress: 0.4 });
      await m.mockStepResult(
        { name: 'poll engine 2' },
        { job_id: 'job_1', status: 'failed', progress: 0.4, error: 'ffmpeg exited with code 1' },
      );
    });
    await postRender(u.token, { id: rid, sessionId: u.session_id, draft: draftOf(u.mediaId) });
    await wf.waitForStatus('complete');
    const p = await poll(u.token, rid);
    expect(p.data).toMatchObject({ status: 'failed', progress: 0.4 });
    expect(p.data.error).toMatch(/could not render.*ffmpeg exited with code 1/);
    // What the user reads: no internal error class name in front.
    expect(p.data.error).not.toMatch(/^\w*Error: /);
    expect(p.data.url).toBeUndefined();
    expect(await expectBalanced(u.user_id)).toMatchObject({ available: 100, frozen: 0, spent: 0 });
    expect(await ledgerFor(u.user_id, rid)).toEqual([
      ['refund', 1],
      ['freeze', 1],
    ]);
  });

  it('reports an engine refusal without the internal error class in front', async () => {
    const u = await userWithClip();
    const rid = 'render_refused_1';
    await using wf = await introspect(u.user_id, rid);
    await wf.modify(async (m) => {
      await m.disableSleeps();
      await m.mockStepError(
        { name: 'start engine job' },
        new NonRetryableError('The media engine refused the render: draft.w: must be even'),
      );
    });
    await postRender(u.token, { id: rid, sessionId: u.session_id, draft: draftOf(u.mediaId) });
    await wf.waitForStatus('complete');
    const p = await poll(u.token, rid);
    expect(p.data).toMatchObject({ status: 'failed' });
    expect(p.data.error).toBe('The media engine refused the render: draft.w: must be even');
  });

  it('restarts an engine that dies a bounded number of times, then fails and refunds', async () => {
    const u = await userWithClip();
    const rid = 'render_dead_engine';
    await using wf = await introspect(u.user_id, rid);
    await wf.modify(async (m) => {
      await m.disableSleeps();
      await m.disableRetryDelays();
      // No engine runs in this project: every real poll finds it unreachable ("lost").
      await m.mockStepResult({ name: 'start engine job' }, 'job_a');
      await m.mockStepResult({ name: 'start engine job (attempt 2)' }, 'job_b');
      await m.mockStepResult({ name: 'start engine job (attempt 3)' }, 'job_c');
    });
    await postRender(u.token, { id: rid, sessionId: u.session_id, draft: draftOf(u.mediaId) });
    await wf.waitForStatus('complete');
    expect(await wf.waitForStepResult({ name: 'start engine job (attempt 3)' })).toBe('job_c');
    const p = await poll(u.token, rid);
    expect(p.data.status).toBe('failed');
    expect(p.data.error).toMatch(/stopped answering 3 times.*credits returned/);
    expect(await expectBalanced(u.user_id)).toMatchObject({ available: 100, frozen: 0, spent: 0 });
    expect(await ledgerFor(u.user_id, rid)).toEqual([
      ['refund', 1],
      ['freeze', 1],
    ]);
  });

  it('starts a fresh job at once when the engine forgot the job (it restarted)', async () => {
    const u = await userWithClip();
    const rid = 'render_engine_restarted';
    await fakeEngineOutput(u.user_id, rid);
    await using wf = await introspect(u.user_id, rid);
    await wf.modify(async (m) => {
      await m.disableSleeps();
      await m.mockStepResult({ name: 'start engine job' }, 'job_a');
      await m.mockStepResult({ name: 'poll engine 1' }, { job_id: 'job_a', status: 'rendering', progress: 0.6 });
      await m.mockStepResult({ name: 'poll engine 2' }, { job_id: 'job_a', status: 'gone', progress: 0 });
      await m.mockStepResult({ name: 'start engine job (attempt 2)' }, 'job_b');
      await m.mockStepResult({ name: 'poll engine 3' }, doneJob(10_000));
    });
    await postRender(u.token, { id: rid, sessionId: u.session_id, draft: draftOf(u.mediaId) });
    await wf.waitForStatus('complete');
    expect((await poll(u.token, rid)).data).toMatchObject({ status: 'done', progress: 1 });
    expect(await ledgerFor(u.user_id, rid)).toEqual([
      ['spend', 1],
      ['freeze', 1],
    ]);
  });

  it('charges once when the credit steps are retried, and never starts a second engine job', async () => {
    const u = await userWithClip();
    const rid = 'render_retry_1';
    const user = userStub(env, u.user_id);
    await fakeEngineOutput(u.user_id, rid);
    await using wf = await introspect(u.user_id, rid);
    await wf.modify(async (m) => {
      await m.disableSleeps();
      await m.disableRetryDelays();
      await m.mockStepError({ name: 'freeze credits' }, new Error('transient: storage busy'), 2);
      await m.mockStepError({ name: 'spend credits' }, new Error('transient: storage busy'), 2);
      await m.mockStepError({ name: 'mark render' }, new Error('transient: storage busy'), 1);
      await m.mockStepResult({ name: 'poll engine 1' }, doneJob(10_000));
    });
    // A previous attempt of 'start engine job' already started a job and recorded it:
    // the real step (not mocked here, and no engine to call) must reuse it.
    await user.createRender({
      renderId: rid,
      sessionId: u.session_id,
      draftJson: JSON.stringify(draftOf(u.mediaId)),
      output: { format: 'mp4', quality: 'high' },
      cost: 1,
      width: 1080,
      height: 1920,
      title: 't',
      webhookUrl: null,
      bindUrl: null,
    });
    await user.setRenderJob(rid, 1, 'job_started_before');
    await env.RENDER_WORKFLOW.create({
      id: await renderInstanceId(u.user_id, rid),
      params: { userId: u.user_id, renderId: rid, origin: 'http://127.0.0.1:8787' },
    });
    // The route's create is idempotent too: POSTing the same id returns the existing render.
    const again = await json<{ render_id: string; status: string }>(
      await postRender(u.token, { id: rid, sessionId: u.session_id, draft: draftOf(u.mediaId) }),
    );
    expect(again.data).toMatchObject({ render_id: rid, status: 'rendering' });
    await wf.waitForStatus('complete');
    expect(await wf.waitForStepResult({ name: 'start engine job' })).toBe('job_started_before');
    expect((await poll(u.token, rid)).data.status).toBe('done');
    expect(await expectBalanced(u.user_id)).toMatchObject({ available: 99, frozen: 0, spent: 1 });
    expect(await ledgerFor(u.user_id, rid)).toEqual([
      ['spend', 1],
      ['freeze', 1],
    ]);
  });

  it('makes one render and one freeze from 20 concurrent POSTs with the same id', async () => {
    const u = await userWithClip();
    const rid = 'render_concurrent';
    await fakeEngineOutput(u.user_id, rid);
    await using wf = await introspect(u.user_id, rid);
    await wf.modify(async (m) => {
      await m.disableSleeps();
      await m.mockStepResult({ name: 'start engine job' }, 'job_1');
      await m.mockStepResult({ name: 'poll engine 1' }, doneJob(20_000));
    });
    const body = { id: rid, sessionId: u.session_id, draft: draftOf(u.mediaId, 20_000) };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => postRender(u.token, body).then((r) => json<{ render_id: string }>(r))),
    );
    for (const a of answers) expect(a).toMatchObject({ code: 0, data: { render_id: rid } });
    expect(await ledgerFor(u.user_id, rid)).toEqual([['freeze', 2]]);
    await wf.waitForStatus('complete');
    expect(await ledgerFor(u.user_id, rid)).toEqual([
      ['spend', 2],
      ['freeze', 2],
    ]);
    expect(await expectBalanced(u.user_id)).toMatchObject({ available: 98, frozen: 0, spent: 2 });
  });

  it('reports progress from the engine while rendering', async () => {
    const u = await userWithClip();
    const rid = 'render_progress';
    await fakeEngineOutput(u.user_id, rid);
    await using wf = await introspect(u.user_id, rid);
    await wf.modify(async (m) => {
      // Only the first sleep is skipped: 'poll wait 2' really waits 2 s, long enough to observe progress.
      await m.disableSleeps([{ name: 'poll wait 1' }]);
      await m.mockStepResult({ name: 'start engine job' }, 'job_1');
      await m.mockStepResult({ name: 'poll engine 1' }, { job_id: 'job_1', status: 'rendering', progress: 0.5 });
      await m.mockStepResult({ name: 'poll engine 2' }, doneJob(10_000));
    });
    await postRender(u.token, { id: rid, sessionId: u.session_id, draft: draftOf(u.mediaId) });
    let seen = { status: '', progress: 0 };
    for (let i = 0; i < 40 && seen.progress !== 0.5; i++) {
      seen = (await poll(u.token, rid)).data;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen).toMatchObject({ status: 'rendering', progress: 0.5 });
    await wf.waitForStatus('complete');
    expect((await poll(u.token, rid)).data).toMatchObject({ status: 'done', progress: 1 });
  });
});

describe('render webhook', () => {
  it('gives up on an unreachable webhook after its retries without changing the render', async () => {
    const u = await userWithClip();
    const rid = 'render_hook_down';
    await fakeEngineOutput(u.user_id, rid);
    await using wf = await introspect(u.user_id, rid);
    await wf.modify(async (m) => {
      await m.disableSleeps();
      await m.disableRetryDelays();
      await m.mockStepResult({ name: 'start engine job' }, 'job_1');
      await m.mockStepResult({ name: 'poll engine 1' }, doneJob(10_000));
    });
    const res = await postRender(u.token, {
      id: rid,
      sessionId: u.session_id,
      draft: draftOf(u.mediaId),
      // Public name, nothing listening here (no network in tests): the webhook is given up.
      webhook_url: 'https://hooks.example.com/hook',
    });
    expect((await json(res)).code).toBe(0);
    await wf.waitForStatus('complete');
    expect(await wf.getOutput()).toEqual({ status: 'done' });
    expect((await poll(u.token, rid)).data.status).toBe('done');
    expect(await expectBalanced(u.user_id)).toMatchObject({ spent: 1, frozen: 0 });
  });

  it('refuses a webhook_url that is not http(s)', async () => {
    const u = await userWithClip();
    const body = await json(
      await postRender(u.token, {
        id: 'r_hook',
        sessionId: u.session_id,
        draft: draftOf(u.mediaId),
        webhook_url: 'ftp://x/y',
      }),
    );
    expect(body.code).toBe(400);
    expect(body.message).toMatch(/webhook_url/);
  });

  it('takes webhook_url: null as no webhook', () => {
    const body = { id: 'r_nohook', sessionId: 'ses_x', draft: draftOf('med_x'), webhook_url: null };
    expect(RenderBody.safeParse(body).success).toBe(true);
  });
});

describe('DELETE /api/render/proxy/lambda/:render_id', () => {
  it('cancels an unfinished render and returns its credits; a finished one stays done', async () => {
    const u = await userWithClip();
    const rid = 'render_cancel_me';
    await using wf = await introspect(u.user_id, rid);
    await wf.modify(async (m) => {
      await m.disableSleeps([{ name: 'poll wait 1' }]);
      await m.mockStepResult({ name: 'start engine job' }, 'job_1');
      await m.mockStepResult({ name: 'poll engine 1' }, { job_id: 'job_1', status: 'rendering', progress: 0.3 });
    });
    await postRender(u.token, { id: rid, sessionId: u.session_id, draft: draftOf(u.mediaId) });
    for (let i = 0; i < 40 && (await poll(u.token, rid)).data.progress !== 0.3; i++)
      await new Promise((r) => setTimeout(r, 50));
    const res = await json<{ status: string; error: string }>(
      await call(`/api/render/proxy/lambda/${rid}`, { method: 'DELETE', token: u.token }),
    );
    expect(res.data).toMatchObject({ status: 'failed', error: expect.stringMatching(/Cancelled/) });
    expect(await ledgerFor(u.user_id, rid)).toEqual([
      ['refund', 1],
      ['freeze', 1],
    ]);
    expect(await expectBalanced(u.user_id)).toMatchObject({ available: 100, frozen: 0, spent: 0 });
    // Cancelling again changes nothing.
    const again = await json<{ status: string }>(
      await call(`/api/render/proxy/lambda/${rid}`, { method: 'DELETE', token: u.token }),
    );
    expect(again.data.status).toBe('failed');
    expect(await ledgerFor(u.user_id, rid)).toHaveLength(2);

    const other = await mintToken();
    expect((await call(`/api/render/proxy/lambda/${rid}`, { method: 'DELETE', token: other.token })).status).toBe(404);
    // The workflow notices at its next poll and stops without touching the credits again.
    await wf.waitForStatus('complete');
    expect(await wf.getOutput()).toMatchObject({ status: 'failed', error: expect.stringMatching(/Cancelled/) });
    expect(await ledgerFor(u.user_id, rid)).toHaveLength(2);
    expect((await poll(u.token, rid)).data.status).toBe('failed');
  });
});

describe('POST /api/render/proxy/lambda refusals', () => {
  it('answers 2001 with a bind_url when credits run out, and freezes nothing', async () => {
    const u = await userWithClip();
    // 1010 s at 1080p = 101 credits > the 100 starter credits.
    const res = await postRender(u.token, {
      id: 'render_big',
      sessionId: u.session_id,
      draft: draftOf(u.mediaId, 1_010_000),
    });
    expect(res.status).toBe(402);
    const body = await json<{ bind_url: string; needed: number; available: number }>(res);
    expect(body.code).toBe(2001);
    // A signed, expiring link (src/lib/bind-link.ts): the user id alone does not register the account.
    expect(body.data.bind_url).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:8787/register\\?bind=${u.user_id}&exp=\\d+&sig=[0-9a-f]{64}$`),
    );
    expect(body.data).toMatchObject({ needed: 101, available: 100 });
    expect(await ledgerFor(u.user_id, 'render_big')).toEqual([]);
    expect((await poll(u.token, 'render_big')).code).toBe(404);
    expect(await expectBalanced(u.user_id)).toMatchObject({ available: 100, frozen: 0 });
  });

  it('refuses 4K on the free plan with 402', async () => {
    const u = await userWithClip();
    const res = await postRender(u.token, {
      id: 'render_4k',
      sessionId: u.session_id,
      draft: { ...draftOf(u.mediaId), w: 3840, h: 2160 },
    });
    expect(res.status).toBe(402);
    expect((await json(res)).code).toBe(402);
  });

  it('refuses audio on a video track and an image on an audio track with 400, freezing nothing', async () => {
    // Found only by the engine, after the POST, these were a render that failed later.
    const u = await userWithClip();
    for (const [mediaId, kind] of [
      ['med_song01', 'audio'],
      ['med_pic001', 'image'],
    ] as const) {
      await userStub(env, u.user_id).addMedia(
        u.session_id,
        {
          media_id: mediaId,
          name: `${mediaId}.x`,
          kind,
          mime: 'application/octet-stream',
          size: 1,
          r2_key: `u/${u.user_id}/media/${mediaId}/x`,
          content_hash: null,
        },
        null,
      );
    }
    const audioOnVideo = await postRender(u.token, {
      id: 'r_kind1',
      sessionId: u.session_id,
      draft: draftOf('med_song01'),
    });
    expect(audioOnVideo.status).toBe(400);
    expect((await json(audioOnVideo)).message).toMatch(/draft\.t\.0\.sg\.0\.src: med_song01 is audio on a video track/);
    const imageOnAudio = draftOf(u.mediaId, 10_000, {
      t: [...draftOf(u.mediaId).t, { id: 'a1', tt: 1, m: {}, sg: [{ id: 'sa', src: 'med_pic001', s: 0, d: 1000 }] }],
    });
    const res = await postRender(u.token, { id: 'r_kind2', sessionId: u.session_id, draft: imageOnAudio });
    expect(res.status).toBe(400);
    expect((await json(res)).message).toMatch(/draft\.t\.1\.sg\.0\.src: med_pic001 is an image on an audio track/);
    expect((await json(await call('/api/render/proxy/lambda/r_kind1', { token: u.token }))).code).toBe(404);
    expect(await expectBalanced(u.user_id)).toMatchObject({ available: 100, frozen: 0 });
  });

  it('refuses an odd frame size with 400 naming the field (the encoder needs even sizes)', async () => {
    const u = await userWithClip();
    const res = await postRender(u.token, {
      id: 'r_odd',
      sessionId: u.session_id,
      draft: { ...draftOf(u.mediaId), w: 641, h: 360 },
    });
    expect(res.status).toBe(400);
    expect((await json(res)).message).toBe('Invalid draft: draft.w: must be even');
    expect(await expectBalanced(u.user_id)).toMatchObject({ available: 100, frozen: 0 });
  });

  it('names unknown media and bad fields with 400', async () => {
    const u = await userWithClip();
    const unknown = await json(
      await postRender(u.token, { id: 'r_x', sessionId: u.session_id, draft: draftOf('med_nope') }),
    );
    expect(unknown.code).toBe(400);
    expect(unknown.message).toMatch(/unknown media med_nope/);
    const missing = await json(await postRender(u.token, { id: 'r_y', draft: draftOf(u.mediaId) }));
    expect(missing.code).toBe(400);
    expect(missing.message).toMatch(/sessionId/);
    const badDraft = await json(
      await postRender(u.token, { id: 'r_z', sessionId: u.session_id, draft: { ...draftOf(u.mediaId), w: 'wide' } }),
    );
    expect(badDraft.message).toMatch(/draft\.w/);
    const noSession = await json(
      await postRender(u.token, { id: 'r_w', sessionId: 'ses_nope', draft: draftOf(u.mediaId) }),
    );
    expect(noSession.code).toBe(1002);
    expect(await expectBalanced(u.user_id)).toMatchObject({ available: 100, frozen: 0 });
  });

  it("hides another user's render (404)", async () => {
    const u = await userWithClip();
    await using wf = await introspect(u.user_id, 'render_private');
    await wf.modify(async (m) => {
      await m.disableSleeps();
      await m.mockStepResult({ name: 'start engine job' }, 'job_1');
      await m.mockStepResult({ name: 'poll engine 1' }, { job_id: 'job_1', status: 'failed', progress: 0, error: 'x' });
    });
    await postRender(u.token, { id: 'render_private', sessionId: u.session_id, draft: draftOf(u.mediaId) });
    await wf.waitForStatus('complete');
    const other = await mintToken();
    const res = await call('/api/render/proxy/lambda/render_private', { token: other.token });
    expect(res.status).toBe(404);
    expect((await json(res)).code).toBe(404);
  });
});
