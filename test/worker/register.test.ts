import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { signedBindUrl } from '../../src/lib/bind-link.ts';
import { call, json, mintToken } from './helpers.ts';
import { openLink, registerBody, registerCapturingLink } from './verify-helpers.ts';

/** Registration needs the user's own token (or the signed bind link: hostile-register.test.ts). */
describe('registration (bind link)', () => {
  it('serves the bind page with the user id in the form', async () => {
    const t = await mintToken();
    const res = await call(`/register?bind=${t.user_id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const page = await res.text();
    expect(page).toContain(`value="${t.user_id}"`);
    expect(page).toContain('/api/auth/register');
  });

  it('grants the registration credits once, when the email is verified, and records them in the ledger', async () => {
    const t = await mintToken();
    const first = await registerCapturingLink(t.user_id, 'Maker@Example.com', t.token);
    expect(first.body.data).toMatchObject({ verification: 'pending', credits_granted: 0, credits: 100 });
    const verified = await json(await openLink(first.link!));
    expect(verified.data).toMatchObject({ credits_granted: 400, credits: 500 });
    const again = await json<{ credits_granted: number; credits: number }>(
      await call('/api/auth/register', registerBody(t.user_id, 'maker@example.com', t.token)),
    );
    expect(again.data).toMatchObject({ credits_granted: 0, credits: 500 });
    const ledger = await json<{ rows: { kind: string; amount: number; note: string }[] }>(
      await call('/api/credits/ledger', { token: t.token }),
    );
    expect(ledger.data.rows.map((r) => [r.kind, r.amount])).toEqual([
      ['grant', 400],
      ['grant', 100],
    ]);
  });

  it('binds one email to one user and one user to one email', async () => {
    const a = await mintToken();
    const b = await mintToken();
    const ra = await registerCapturingLink(a.user_id, 'one@example.com', a.token);
    expect((await json(await openLink(ra.link!))).code).toBe(0);
    const taken = await call('/api/auth/register', registerBody(b.user_id, 'one@example.com', b.token));
    expect(taken.status).toBe(409);
    expect((await json(taken)).message).toMatch(/already registered to another account/);
    const second = await json(await call('/api/auth/register', registerBody(a.user_id, 'two@example.com', a.token)));
    expect(second.code).toBe(409);
    const bal = await json<{ available: number }>(await call('/api/credits/balance/simple', { token: b.token }));
    expect(bal.data.available).toBe(100);
  });

  it.each([
    ['a bad email', { bind: `u_${'a'.repeat(24)}`, email: 'not-an-email' }, /field `email`/],
    ['a bad bind id', { bind: 'nobody', email: 'x@example.com' }, /field `bind`/],
  ])('answers 400 for %s', async (_n, body, message) => {
    const res = await call('/api/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect((await json(res)).message).toMatch(message);
  });

  it('refuses a well-formed bind id that belongs to no user (even with a valid link for it)', async () => {
    const ghost = `u_${'b'.repeat(24)}`;
    const link = new URL(await signedBindUrl(env.SIGNING_SECRET, 'http://x', ghost));
    const res = await call('/api/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        bind: ghost,
        email: 'ghost@example.com',
        exp: link.searchParams.get('exp'),
        sig: link.searchParams.get('sig'),
      }),
    });
    expect(res.status).toBe(400);
    expect((await json(res)).message).toMatch(/Unknown bind id/);
  });
});
