import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { userStub } from '../../src/durable/user-stub.ts';
import { call, json, mintToken } from './helpers.ts';

describe('credits ledger', () => {
  it('keeps available + frozen + spent = granted through freeze, spend and refund', async () => {
    const t = await mintToken();
    const user = userStub(env, t.user_id);
    const check = async () => {
      const b = await user.balance();
      expect(b.available + b.frozen + b.spent).toBe(b.granted);
      expect(b.total).toBe(b.available + b.frozen);
      return b;
    };
    expect(await check()).toMatchObject({ available: 100, frozen: 0, spent: 0, granted: 100 });

    await user.freezeCredits('r1', 30, 'render r1', null);
    await user.freezeCredits('r1', 30, 'render r1 (retried)', null); // idempotent per ref
    await user.freezeCredits('r2', 20, 'render r2', null);
    expect(await check()).toMatchObject({ available: 50, frozen: 50, spent: 0 });

    expect(await user.settleCredits('r1', 'spend', 'done')).toBe(true);
    expect(await user.settleCredits('r1', 'spend', 'done again')).toBe(false);
    expect(await user.settleCredits('r1', 'refund', 'late failure')).toBe(false);
    expect(await user.settleCredits('r2', 'refund', 'failed')).toBe(true);
    expect(await user.settleCredits('nope', 'refund', 'unknown ref')).toBe(false);
    expect(await check()).toMatchObject({ available: 70, frozen: 0, spent: 30 });

    const rows = await user.ledger();
    expect(rows.map((r) => [r.kind, r.amount, r.ref])).toEqual([
      ['refund', 20, 'r2'],
      ['spend', 30, 'r1'],
      ['freeze', 20, 'r2'],
      ['freeze', 30, 'r1'],
      ['grant', 100, null],
    ]);

    const simple = await json<{ available: number; frozen: number; total: number }>(
      await call('/api/credits/balance/simple', { token: t.token }),
    );
    expect(simple.data).toEqual({ available: 70, frozen: 0, total: 70 });
  });

  it('refuses to freeze more than is available with 2001 and changes nothing', async () => {
    const t = await mintToken();
    const user = userStub(env, t.user_id);
    await expect(user.freezeCredits('big', 101, 'too big', 'http://x/register?bind=u')).rejects.toMatchObject({
      code: 2001,
      data: { bind_url: 'http://x/register?bind=u' },
    });
    expect(await user.balance()).toMatchObject({ available: 100, frozen: 0, spent: 0 });
    expect((await user.ledger()).length).toBe(1);
  });

  it('shows the balance and the ledger over HTTP', async () => {
    const t = await mintToken();
    const res = await json<{ balance: { granted: number }; rows: { kind: string }[] }>(
      await call('/api/credits/ledger', { token: t.token }),
    );
    expect(res.data.balance.granted).toBe(100);
    expect(res.data.rows.map((r) => r.kind)).toEqual(['grant']);
  });
});
