import { createScheduledController, env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { CLEANUP_INDEX_PREFIX, indexKeyFor, isoDay, PURGE_BATCH, PURGE_GRACE_MS } from '../../src/durable/cleanup.ts';
import { STALE_RENDER_MS } from '../../src/durable/renders.ts';
import type { UserDO } from '../../src/durable/user-do.ts';
import { rawUserStub, userStub } from '../../src/durable/user-stub.ts';
import worker from '../../src/index.ts';
import { call, mintToken } from './helpers.ts';
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
  userWithDoneRender,
} from './render-helpers.ts';

const DAY = 24 * 3600_000;

async function keysUnder(prefix: string) {
  const out: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.MEDIA.list({ prefix, cursor });
    out.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return out;
}

async function runCron(nowMs = Date.now()) {
  const controller = createScheduledController({ scheduledTime: nowMs, cron: '17 * * * *' });
  await worker.scheduled(controller, env);
}

const sql = (userId: string, query: string, ...args: unknown[]) =>
  runInDurableObject(rawUserStub(env, userId), async (_o: UserDO, state) =>
    state.storage.sql.exec(query, ...args).toArray(),
  );

describe('scheduled cleanup', () => {
  it('indexes each user under the day their data becomes due', async () => {
    const t = await mintToken();
    const key = indexKeyFor(t.user_id, t.expires_at + PURGE_GRACE_MS);
    expect(key).toBe(`${CLEANUP_INDEX_PREFIX}${isoDay(t.expires_at + PURGE_GRACE_MS)}/${t.user_id}`);
    expect(await env.MEDIA.head(key)).not.toBeNull();
  });

  it("deletes an expired user's sessions, uploads, renders and objects in batches, and keeps a live user's", async () => {
    const live = await userWithDoneRender('render_live');
    const gone = await userWithDoneRender('render_gone');
    // More objects than one batch, so the purge has to resume.
    for (let i = 0; i < PURGE_BATCH + 30; i++) await env.MEDIA.put(`u/${gone.user_id}/uploads/junk-${i}`, 'x');
    const liveKeys = await keysUnder(`u/${live.user_id}/`);
    expect(liveKeys.length).toBe(2);

    // The expired user's only token ran out 31 days ago; its marker sits on the day it became due.
    const now = Date.now();
    await sql(gone.user_id, 'UPDATE tokens SET expires_at = ?', now - 31 * DAY);
    await userStub(env, gone.user_id).runCleanup(now - 2 * DAY);
    expect(await keysUnder(`${CLEANUP_INDEX_PREFIX}${isoDay(now - DAY)}/${gone.user_id}`)).toHaveLength(1);
    // A stale marker for the live user must not get them deleted: the object itself decides.
    const stale = `${CLEANUP_INDEX_PREFIX}${isoDay(now - DAY)}/${live.user_id}`;
    await env.MEDIA.put(stale, '');

    await runCron(now);
    // First batch done, the rest is left to the user's own alarm.
    expect((await keysUnder(`u/${gone.user_id}/`)).length).toBeGreaterThan(0);
    await runDurableObjectAlarm(rawUserStub(env, gone.user_id));
    for (let i = 0; i < 5 && (await keysUnder(`u/${gone.user_id}/`)).length; i++) {
      await runDurableObjectAlarm(rawUserStub(env, gone.user_id));
    }

    expect(await keysUnder(`u/${gone.user_id}/`)).toEqual([]);
    for (const table of ['sessions', 'drafts', 'media', 'renders', 'chat']) {
      expect(await sql(gone.user_id, `SELECT COUNT(*) AS n FROM ${table}`)).toEqual([{ n: 0 }]);
    }
    expect(await sql(gone.user_id, 'SELECT COUNT(*) AS n FROM tokens WHERE revoked_at IS NULL')).toEqual([{ n: 0 }]);
    expect(await keysUnder(`${CLEANUP_INDEX_PREFIX}`).then((ks) => ks.filter((k) => k.endsWith(gone.user_id)))).toEqual(
      [],
    );
    expect((await call(new URL(gone.status.share_url!).pathname)).status).toBe(404);
    await expectBalanced(gone.user_id);

    // The live user keeps everything; only the stale marker went, their real one stays.
    expect(await keysUnder(`u/${live.user_id}/`)).toEqual(liveKeys);
    expect((await userStub(env, live.user_id).listSessions()).map((s) => s.session_id)).toEqual([live.session_id]);
    expect((await call(new URL(live.status.share_url!).pathname)).status).toBe(200);
    expect((await call('/api/credits/balance/simple', { token: live.token })).status).toBe(200);
    expect(await env.MEDIA.head(stale)).toBeNull();
    expect(await env.MEDIA.head(indexKeyFor(live.user_id, live.expires_at + PURGE_GRACE_MS))).not.toBeNull();
    expect(await expectBalanced(live.user_id)).toMatchObject({ spent: 1 });
  });

  it("deletes an expired render's files at its expiry (alarm) and keeps the rest of a live user's data", async () => {
    const u = await userWithDoneRender('render_expires');
    const renderFiles = `u/${u.user_id}/renders/render_expires/`;
    expect(await keysUnder(renderFiles)).toHaveLength(1);
    const alarmAt = await runInDurableObject(rawUserStub(env, u.user_id), (_o: UserDO, state) =>
      state.storage.getAlarm(),
    );
    // Armed no later than the render's expiry (here the token's expiry, minted just before, comes first).
    expect(alarmAt).toBeLessThanOrEqual(u.status.expires_at!);
    await sql(u.user_id, 'UPDATE renders SET expires_at = ?', Date.now() - 1);
    expect(await runDurableObjectAlarm(rawUserStub(env, u.user_id))).toBe(true);
    expect(await keysUnder(renderFiles)).toEqual([]);
    expect((await call(new URL(u.status.share_url!).pathname)).status).toBe(410);
    const p = (await (await call('/api/render/proxy/lambda/render_expires', { token: u.token })).json()) as {
      data: { status: string; url?: string };
    };
    expect(p.data).toMatchObject({ status: 'done' });
    expect(p.data.url).toBeUndefined();
    // The upload and the session are untouched.
    expect(await keysUnder(`u/${u.user_id}/uploads/`)).toHaveLength(1);
    expect(await userStub(env, u.user_id).listSessions()).toHaveLength(1);
    expect(await expectBalanced(u.user_id)).toMatchObject({ spent: 1 });
  });

  it('returns the credits of a render whose workflow never ran, and leaves a running one alone', async () => {
    const u = await userWithClip();
    const user = userStub(env, u.user_id);
    // A POST that died between the row and the Workflow: the row exists, the instance does not.
    await user.createRender({
      renderId: 'render_orphan',
      sessionId: u.session_id,
      draftJson: JSON.stringify(draftOf(u.mediaId)),
      output: { format: 'mp4', quality: 'high' },
      cost: 1,
      width: 1080,
      height: 1920,
      title: 'orphan',
      webhookUrl: null,
      bindUrl: null,
    });
    const alarmAt = await runInDurableObject(rawUserStub(env, u.user_id), (_o: UserDO, s) => s.storage.getAlarm());
    expect(alarmAt).toBeLessThanOrEqual(Date.now() + STALE_RENDER_MS);
    // A render whose workflow is running (it sleeps 2 s between polls).
    await using wf = await introspect(u.user_id, 'render_running');
    await wf.modify(async (m) => {
      await m.disableSleeps([{ name: 'poll wait 1' }]);
      await m.mockStepResult({ name: 'start engine job' }, 'job_1');
      await m.mockStepResult({ name: 'poll engine 1' }, { job_id: 'job_1', status: 'rendering', progress: 0.2 });
      await m.mockStepResult({ name: 'poll engine 2' }, doneJob(10_000));
    });
    await fakeEngineOutput(u.user_id, 'render_running');
    await postRender(u.token, { id: 'render_running', sessionId: u.session_id, draft: draftOf(u.mediaId) });
    for (let i = 0; i < 40 && (await poll(u.token, 'render_running')).data.progress !== 0.2; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await sql(u.user_id, 'UPDATE renders SET updated_at = ?', Date.now() - STALE_RENDER_MS - 1);
    expect(await runDurableObjectAlarm(rawUserStub(env, u.user_id))).toBe(true);

    expect((await poll(u.token, 'render_orphan')).data).toMatchObject({
      status: 'failed',
      error: 'The render stopped unexpectedly; credits returned',
    });
    expect(await ledgerFor(u.user_id, 'render_orphan')).toEqual([
      ['refund', 1],
      ['freeze', 1],
    ]);
    expect((await poll(u.token, 'render_running')).data.status).toBe('rendering');
    await wf.waitForStatus('complete');
    expect((await poll(u.token, 'render_running')).data.status).toBe('done');
    expect(await expectBalanced(u.user_id)).toMatchObject({ available: 99, frozen: 0, spent: 1 });
  });

  it('revokes expired tokens and keeps a user whose newest token is still valid', async () => {
    const a = await mintToken('cleanup-keeper-client');
    const b = await mintToken('cleanup-keeper-client'); // same user, second token
    expect(b.user_id).toBe(a.user_id);
    const oldHash = (await sql(a.user_id, 'SELECT hash FROM tokens ORDER BY created_at, rowid LIMIT 1'))[0]!
      .hash as string;
    await sql(a.user_id, 'UPDATE tokens SET expires_at = ? WHERE hash = ?', Date.now() - 40 * DAY, oldHash);
    const result = await userStub(env, a.user_id).runCleanup(Date.now());
    expect(result).toMatchObject({ state: 'live', revoked: 1 });
    expect((await call('/api/credits/balance/simple', { token: b.token })).status).toBe(200);
    expect((await call('/api/credits/balance/simple', { token: a.token })).status).toBe(401);
    expect(await sql(a.user_id, 'SELECT COUNT(*) AS n FROM tokens')).toEqual([{ n: 2 }]);
  });
});
