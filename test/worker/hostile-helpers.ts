/** The hostile corpus's one assertion: a refused request left ledger, balance, draft and media as they were. */
import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import { userStub } from '../../src/durable/user-stub.ts';
import { call, json } from './helpers.ts';
import { expectBalanced } from './render-helpers.ts';

export async function snapshot(u: { user_id: string; token: string; session_id: string }) {
  const user = userStub(env, u.user_id);
  const state = await json(await call(`/api/state/nemo_agent/me/${u.session_id}/latest`, { token: u.token }));
  return {
    ledger: await user.ledger(),
    balance: await user.balance(),
    state: state.data,
    sessions: (await json(await call('/api/sessions', { token: u.token }))).data,
  };
}

/** Compares everything, and checks the ledger invariant (available + frozen + spent = granted). */
export async function expectUnchanged(
  u: { user_id: string; token: string; session_id: string },
  before: Awaited<ReturnType<typeof snapshot>>,
  what: string,
) {
  expect(await snapshot(u), what).toEqual(before);
  await expectBalanced(u.user_id);
}
