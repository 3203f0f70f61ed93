/**
 * Issue 11, item 7 (registration): knowing a user id is not enough to bind that account to your
 * email. Without the user's own token or the signed link the service gave that user, the answer is
 * 1001 (410 for an expired link) and the victim's ledger and registration are unchanged.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { userStub } from '../../src/durable/user-stub.ts';
import { signedBindUrl } from '../../src/lib/bind-link.ts';
import { call, json, mintToken } from './helpers.ts';
import { expectBalanced } from './render-helpers.ts';

const post = (body: Record<string, unknown>, token?: string) =>
  call('/api/auth/register', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

async function linkParams(userId: string, nowMs = Date.now()) {
  const u = new URL(await signedBindUrl(env.SIGNING_SECRET, 'http://127.0.0.1:8787', userId, nowMs));
  return { exp: u.searchParams.get('exp')!, sig: u.searchParams.get('sig')!, url: u };
}

describe('registration requires the account owner', () => {
  it('refuses a bare user id, another user token, a forged or expired link; the victim is untouched', async () => {
    const victim = await mintToken();
    const attacker = await mintToken();
    const ledgerBefore = await userStub(env, victim.user_id).ledger();
    const good = await linkParams(victim.user_id);
    const old = await linkParams(victim.user_id, Date.now() - 8 * 24 * 3600_000);
    const forged = await signedBindUrl('another-secret-0123456789abcdef0123456789', 'http://x', victim.user_id);
    const attempts: [string, Response, number, number][] = [
      ['bare id', await post({ bind: victim.user_id, email: 'evil@example.com' }), 401, 1001],
      ['other token', await post({ bind: victim.user_id, email: 'evil@example.com' }, attacker.token), 401, 1001],
      [
        'forged link',
        await post({
          bind: victim.user_id,
          email: 'evil@example.com',
          exp: new URL(forged).searchParams.get('exp'),
          sig: new URL(forged).searchParams.get('sig'),
        }),
        401,
        1001,
      ],
      ['link of another user', await post({ bind: attacker.user_id, email: 'evil@example.com', ...good }), 401, 1001],
      ['expired link', await post({ bind: victim.user_id, email: 'evil@example.com', ...old }), 410, 410],
    ];
    for (const [what, res, status, code] of attempts) {
      expect(res.status, what).toBe(status);
      expect((await json(res)).code, what).toBe(code);
    }
    expect(await userStub(env, victim.user_id).ledger()).toEqual(ledgerBefore);
    expect((await userStub(env, victim.user_id).getRegistration())?.registered).toBeFalsy();
    await expectBalanced(victim.user_id);
    await expectBalanced(attacker.user_id);
  });

  it('the signed link (as the page posts it) and the own token both work', async () => {
    const a = await mintToken();
    const { exp, sig, url } = await linkParams(a.user_id);
    const page = await (await call(`${url.pathname}${url.search}`)).text();
    expect(page).toContain(`value="${sig}"`);
    const viaLink = await json(await post({ bind: a.user_id, email: 'link@example.com', exp, sig }));
    expect(viaLink.code, viaLink.message).toBe(0);
    const b = await mintToken();
    const viaToken = await json(await post({ bind: b.user_id, email: 'token@example.com' }, b.token));
    expect(viaToken.code, viaToken.message).toBe(0);
  });
});
