/**
 * Issue 11, item 7 (renders settle): a render whose workflow still says "running" but is getting
 * nowhere (the stack restarted mid-render, the engine died for good) is failed at its deadline
 * with the reason, its frozen credits come back, and its workflow is terminated so it cannot
 * report the render again later.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { renderDeadlineMs } from '../../src/durable/render-deadline.ts';
import type { UserDO } from '../../src/durable/user-do.ts';
import { rawUserStub } from '../../src/durable/user-stub.ts';
import { json } from './helpers.ts';
import { draftOf, expectBalanced, introspect, ledgerFor, poll, postRender, userWithClip } from './render-helpers.ts';

const sql = (userId: string, query: string, ...args: unknown[]) =>
  runInDurableObject(rawUserStub(env, userId), (_o: UserDO, s) => s.storage.sql.exec(query, ...args).toArray());

describe('renders always settle', () => {
  it('fails and refunds a render stuck past its deadline, and stops its workflow', async () => {
    const u = await userWithClip();
    const rid = 'render_stuck';
    await using wf = await introspect(u.user_id, rid);
    await wf.modify(async (m) => {
      // The engine took the job and then never moved: the workflow keeps polling (real sleeps).
      await m.mockStepResult({ name: 'start engine job' }, 'job_1');
      await m.mockStepResult({ name: 'poll engine 1' }, { job_id: 'job_1', status: 'rendering', progress: 0.1 });
    });
    expect(
      (await json(await postRender(u.token, { id: rid, sessionId: u.session_id, draft: draftOf(u.mediaId) }))).code,
    ).toBe(0);
    for (let i = 0; i < 60 && (await poll(u.token, rid)).data.progress !== 0.1; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect((await poll(u.token, rid)).data.status).toBe('rendering');

    // Before the deadline the sweep leaves it alone; just past it, it settles.
    const deadline = renderDeadlineMs(10_000);
    await sql(u.user_id, 'UPDATE renders SET created_at = ?', Date.now() - deadline + 60_000);
    await runDurableObjectAlarm(rawUserStub(env, u.user_id));
    expect((await poll(u.token, rid)).data.status).toBe('rendering');
    await sql(u.user_id, 'UPDATE renders SET created_at = ?', Date.now() - deadline - 1);
    await runInDurableObject(rawUserStub(env, u.user_id), (o: UserDO) => o.runCleanup(Date.now()));

    const p = (await poll(u.token, rid)).data;
    expect(p.status).toBe('failed');
    expect(p.error).toMatch(/did not finish within its deadline \(\d+ min since it started\); credits returned/);
    expect((await ledgerFor(u.user_id, rid)).map(([k]) => k).sort()).toEqual(['freeze', 'refund']);
    expect(await expectBalanced(u.user_id)).toMatchObject({ frozen: 0, spent: 0, available: 100 });
    await wf.waitForStatus('terminated');
  }, 30_000);

  it('the deadline grows with the draft and is bounded', () => {
    expect(renderDeadlineMs(10_000)).toBe(3 * (120_000 + 60_000) + 30 * 60_000);
    expect(renderDeadlineMs(10 * 3600_000)).toBe(3 * 2 * 3600_000 + 30 * 60_000);
  });
});
