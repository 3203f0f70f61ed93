import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { UserDO } from '../../src/durable/user-do.ts';
import { rawUserStub, userStub } from '../../src/durable/user-stub.ts';
import { sha256Hex } from '../../src/lib/ids.ts';
import { addClip, events, isFinalResponse, message, runSse } from './chat-fixtures.ts';
import { userWithSession } from './helpers.ts';

/** Draft versions stored for the session (version 0 is the empty draft every session starts with). */
const versions = async (userId: string, sid: string) =>
  (await userStub(env, userId).draftHistory(sid)).map((v) => v.version);

async function clipSession() {
  const u = await userWithSession();
  await addClip(u.user_id, u.session_id, 'med_retry01', 'hash_retry_01');
  return u;
}

const body = (sid: string, text: string, extra: Record<string, unknown> = {}) => ({
  app_name: 'nemo_agent',
  session_id: sid,
  new_message: message(text),
  ...extra,
});

describe('retried /run_sse turns', () => {
  it('five retries of "make it 9:16" with one Idempotency-Key leave one draft version and hear the same events', async () => {
    const u = await clipSession();
    const streams = [];
    for (let i = 0; i < 5; i++)
      streams.push(
        await events(await runSse(u.token, body(u.session_id, 'make it 9:16'), { 'idempotency-key': 'tap-1' })),
      );
    expect(await versions(u.user_id, u.session_id)).toEqual([0, 1]);
    const ids = streams.map((s) => s.map((e) => e.id));
    for (const other of ids.slice(1)) expect(other).toEqual(ids[0]);
    expect(streams[0]!.at(-1)).toMatchObject({ turnComplete: true, actions: { stateDelta: { draft_version: 1 } } });
    // A new key is a new message: it runs (and, the draft being 9:16 already, stays at one version per edit).
    const again = await events(
      await runSse(u.token, body(u.session_id, 'make it square'), { 'idempotency-key': 'tap-2' }),
    );
    expect(again.at(-1)!.actions.stateDelta).toEqual({ draft_version: 2 });
  });

  it('five concurrent attempts with one ADK invocation id run the turn once; each stream ends with the turn', async () => {
    const u = await clipSession();
    const req = body(u.session_id, 'make it 9:16', { invocation_id: 'e-client-0001' });
    const streams = await Promise.all(Array.from({ length: 5 }, async () => events(await runSse(u.token, req))));
    expect(await versions(u.user_id, u.session_id)).toEqual([0, 1]);
    for (const s of streams) {
      expect(s.every((e) => e.invocationId === 'e-client-0001')).toBe(true);
      expect(s.at(-1)).toMatchObject({ turnComplete: true });
      expect(s.map((e) => e.id)).toEqual(streams[0]!.map((e) => e.id));
    }
  });

  it("the message's own id is a retry key too; without any key every attempt runs", async () => {
    const u = await clipSession();
    const withId = body(u.session_id, 'make it 9:16', { new_message: { id: 'msg-7', ...message('make it 9:16') } });
    await events(await runSse(u.token, withId));
    await events(await runSse(u.token, withId));
    expect(await versions(u.user_id, u.session_id)).toEqual([0, 1]);
    await events(await runSse(u.token, body(u.session_id, 'make it square')));
    await events(await runSse(u.token, body(u.session_id, 'make it 9:16')));
    expect(await versions(u.user_id, u.session_id)).toEqual([0, 1, 2, 3]);
  });

  it('a key reused for another message is refused with 409, and nothing runs', async () => {
    const u = await clipSession();
    await events(await runSse(u.token, body(u.session_id, 'make it 9:16'), { 'idempotency-key': 'k1' }));
    const res = await runSse(u.token, body(u.session_id, 'make it square'), { 'idempotency-key': 'k1' });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 409, message: expect.stringMatching(/different message/) });
    const long = await runSse(u.token, body(u.session_id, 'make it square'), { 'idempotency-key': 'k'.repeat(256) });
    expect(long.status).toBe(400);
    expect(await versions(u.user_id, u.session_id)).toEqual([0, 1]);
  });

  it('keys are per session: the same key in another session is a new turn', async () => {
    const u = await clipSession();
    const other = await userStub(env, u.user_id).createSession({ taskName: 'b', language: 'en', attribution: {} });
    await addClip(u.user_id, other.session_id, 'med_retry02', 'hash_retry_02');
    await events(await runSse(u.token, body(u.session_id, 'make it 9:16'), { 'idempotency-key': 'same' }));
    await events(await runSse(u.token, body(other.session_id, 'make it 9:16'), { 'idempotency-key': 'same' }));
    expect(await versions(u.user_id, other.session_id)).toEqual([0, 1]);
  });

  it('a retry of an attempt that died mid-turn ends with TURN_INTERRUPTED and does not run it again', async () => {
    const u = await clipSession();
    const user = userStub(env, u.user_id);
    // The first attempt claimed the turn, sent nothing, and its request died 60 s ago.
    await user.claimTurn({
      sessionId: u.session_id,
      key: 'key:dead',
      fingerprint: await sha256Hex('make it 9:16'),
      invocationId: 'e-dead',
    });
    await runInDurableObject(rawUserStub(env, u.user_id), async (_o: UserDO, state) => {
      state.storage.sql.exec('UPDATE turns SET updated_at = ?', Date.now() - 60_000);
    });
    const evs = await events(await runSse(u.token, body(u.session_id, 'make it 9:16'), { 'idempotency-key': 'dead' }));
    expect(evs.find((e) => e.errorCode)).toMatchObject({ errorCode: 'TURN_INTERRUPTED', invocationId: 'e-dead' });
    expect(evs.at(-1)).toMatchObject({ turnComplete: true });
    expect(evs.filter(isFinalResponse)).toEqual([evs.at(-1)]);
    expect(await versions(u.user_id, u.session_id)).toEqual([0]);
  });

  it('records expire: a retry after the window runs as a new turn', async () => {
    const u = await clipSession();
    await events(await runSse(u.token, body(u.session_id, 'make it 9:16'), { 'idempotency-key': 'old' }));
    await runInDurableObject(rawUserStub(env, u.user_id), async (_o: UserDO, state) => {
      state.storage.sql.exec('UPDATE turns SET updated_at = ?', Date.now() - 11 * 60_000);
    });
    // The same key with another message would be a 409 inside the window; after it, it is a new turn.
    const evs = await events(await runSse(u.token, body(u.session_id, 'make it square'), { 'idempotency-key': 'old' }));
    expect(evs.at(-1)).toMatchObject({ turnComplete: true });
    expect(await versions(u.user_id, u.session_id)).toEqual([0, 1, 2]);
  });
});
