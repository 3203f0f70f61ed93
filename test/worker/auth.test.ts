import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { UserDO } from '../../src/durable/user-do.ts';
import { rawUserStub, userStub } from '../../src/durable/user-stub.ts';
import { call, json, mintToken } from './helpers.ts';

describe('POST /api/auth/anonymous-token', () => {
  it('mints a token with 100 credits valid 7 days', async () => {
    const before = Date.now();
    const t = await mintToken('client-abcdefgh-1');
    expect(t.token).toMatch(/^u_[0-9a-f]{24}\./);
    expect(t.user_id).toMatch(/^u_[0-9a-f]{24}$/);
    expect(t.credits).toBe(100);
    const sevenDays = 7 * 24 * 3600 * 1000;
    expect(t.expires_at).toBeGreaterThanOrEqual(before + sevenDays);
    expect(t.expires_at).toBeLessThanOrEqual(Date.now() + sevenDays);
  });

  it('returns the same user and no new credits for the same client id', async () => {
    const a = await mintToken('same-client-id-42');
    const b = await mintToken('same-client-id-42');
    expect(b.user_id).toBe(a.user_id);
    expect(b.token).not.toBe(a.token);
    expect(b.credits).toBe(100);
    const bal = await json<{ available: number; frozen: number; total: number }>(
      await call('/api/credits/balance/simple', { token: a.token }),
    );
    expect(bal.data).toEqual({ available: 100, frozen: 0, total: 100 });
    const other = await mintToken('another-client-id-43');
    expect(other.user_id).not.toBe(a.user_id);
  });

  it.each([
    ['missing', undefined, /Missing X-Client-Id/],
    ['too short', 'short', /8 to 128/],
    ['too long', 'x'.repeat(129), /8 to 128/],
    ['blank', '          ', /8 to 128/],
    ['with a tab', 'device\tname-123', /control characters/],
  ])('rejects a %s X-Client-Id with 400', async (_name, clientId, message) => {
    const headers: Record<string, string> = clientId === undefined ? {} : { 'x-client-id': clientId };
    const res = await call('/api/auth/anonymous-token', { method: 'POST', headers });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.code).toBe(400);
    expect(body.data).toBeNull();
    expect(body.message).toMatch(message);
  });
});

it('accepts a device name with spaces as X-Client-Id, and finds the same user again', async () => {
  const a = await mintToken('Pixel 8 Pro-abc123');
  const b = await mintToken('Pixel 8 Pro-abc123');
  expect(b.user_id).toBe(a.user_id);
});

describe('bearer auth', () => {
  it.each([
    ['no header', undefined],
    ['not bearer', 'Basic abc'],
    ['malformed', 'Bearer nonsense'],
    ['unknown but well-formed', `Bearer u_${'0'.repeat(24)}.${'x'.repeat(43)}`],
  ])('answers 1001 for %s', async (_name, header) => {
    const res = await call('/api/credits/balance/simple', { headers: header ? { authorization: header } : {} });
    expect(res.status).toBe(401);
    expect((await json(res)).code).toBe(1001);
  });

  it('answers 1001 once the token is past its expiry', async () => {
    const t = await mintToken();
    expect((await call('/api/credits/balance/simple', { token: t.token })).status).toBe(200);
    // Drive the clock: move this token's expiry into the past inside the user's object.
    await runInDurableObject(rawUserStub(env, t.user_id), async (_obj: UserDO, state) => {
      state.storage.sql.exec('UPDATE tokens SET expires_at = ?', Date.now() - 1);
    });
    const res = await call('/api/credits/balance/simple', { token: t.token });
    expect(res.status).toBe(401);
    const body = await json(res);
    expect(body.code).toBe(1001);
    expect(body.message).toMatch(/expired/);
  });

  it('answers 1001 for a revoked token', async () => {
    const t = await mintToken();
    const { hashToken } = await import('../../src/lib/auth.ts');
    expect(await userStub(env, t.user_id).revokeToken(await hashToken(t.token), Date.now())).toBe(true);
    const res = await call('/api/credits/balance/simple', { token: t.token });
    expect((await json(res)).code).toBe(1001);
  });
});

describe('rate limiting of token minting', () => {
  it('answers 429 with Retry-After once one address mints too many tokens, and leaves others alone', async () => {
    const mint = (ip: string, n: number) =>
      call('/api/auth/anonymous-token', {
        method: 'POST',
        headers: { 'x-client-id': `rate-limit-client-${ip}-${n}`, 'cf-connecting-ip': ip },
      });
    const statuses: number[] = [];
    for (let n = 0; n < 12; n++) statuses.push((await mint('203.0.113.7', n)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    const refused = await mint('203.0.113.7', 99);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    const body = await json(refused);
    expect(body.code).toBe(429);
    expect(body.message).toMatch(/retry in 60 seconds/);
    expect((await mint('198.51.100.9', 0)).status).toBe(200);
  });
});
