/**
 * Issue 11, item 6 (verification): registering grants nothing until the emailed link is opened;
 * the link grants the credits once; replayed, expired, forged or replaced links and a taken email
 * are clear envelope errors after which the ledger and the registration are exactly as before.
 */
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { UserDO } from '../../src/durable/user-do.ts';
import { rawUserStub, userStub } from '../../src/durable/user-stub.ts';
import { AppError } from '../../src/lib/errors.ts';
import { deliverVerification } from '../../src/lib/verification-delivery.ts';
import { json, mintToken } from './helpers.ts';
import { expectBalanced } from './render-helpers.ts';
import { openLink, registerCapturingLink } from './verify-helpers.ts';

const ledgerRows = async (userId: string) =>
  (await userStub(env, userId).ledger()).map((r) => [r.kind, r.amount, r.note]);

/** Opens `link` and expects a refusal that changes nothing for `userId`. */
async function expectRefused(link: URL, userId: string, status: number, message: RegExp) {
  const before = await ledgerRows(userId);
  const reg = await userStub(env, userId).getRegistration();
  const res = await openLink(link);
  const body = await json(res);
  expect(res.status, body.message).toBe(status);
  expect(body.code).toBe(status);
  expect(body.message).toMatch(message);
  expect(await ledgerRows(userId)).toEqual(before);
  expect(await userStub(env, userId).getRegistration()).toEqual(reg);
  await expectBalanced(userId);
}

describe('email verification before registration credits', () => {
  it('unverified: no credits; the link is logged, not answered; opening it grants 400 once', async () => {
    const u = await mintToken();
    const r = await registerCapturingLink(u.user_id, 'New@Example.com', u.token);
    expect(r.body.code, String(r.body.message)).toBe(0);
    expect(r.body.data).toMatchObject({ registered: false, verification: 'pending', credits_granted: 0, credits: 100 });
    expect(r.line).toMatchObject({ user_id: u.user_id, email: 'new@example.com' });
    const token = r.link!.searchParams.get('t')!;
    expect(JSON.stringify(r.body)).not.toContain(token); // whoever registers does not get the link
    expect(await ledgerRows(u.user_id)).toEqual([['grant', 100, expect.any(String)]]);
    expect((await userStub(env, u.user_id).getRegistration())?.registered).toBe(false);

    const ok = await json(await openLink(r.link!));
    expect(ok.code, ok.message).toBe(0);
    expect(ok.data).toMatchObject({ registered: true, credits_granted: 400, credits: 500 });
    const after = await ledgerRows(u.user_id);
    expect(after.filter(([kind, amount]) => kind === 'grant' && amount === 400)).toHaveLength(1);
    await expectBalanced(u.user_id);

    // Replayed: a clear 410, nothing granted twice; registering again answers "done" with 0.
    await expectRefused(r.link!, u.user_id, 410, /already used/);
    const again = await registerCapturingLink(u.user_id, 'new@example.com', u.token);
    expect(again.body.data).toMatchObject({ registered: true, verification: 'done', credits_granted: 0, credits: 500 });
    expect(again.link).toBeUndefined();
    expect(await ledgerRows(u.user_id)).toEqual(after);
  });

  it('forged, altered and another user’s tokens are 400 and change nothing', async () => {
    const a = await mintToken();
    const b = await mintToken();
    const ra = await registerCapturingLink(a.user_id, 'a@example.com', a.token);
    const forged = new URL(ra.link!);
    forged.searchParams.set('t', 'f'.repeat(64));
    await expectRefused(forged, a.user_id, 400, /not valid/);
    const cut = new URL(ra.link!);
    cut.searchParams.set('t', ra.link!.searchParams.get('t')!.slice(0, 40));
    await expectRefused(cut, a.user_id, 400, /not valid/);
    const otherUser = new URL(ra.link!);
    otherUser.searchParams.set('u', b.user_id);
    await expectRefused(otherUser, b.user_id, 400, /not valid/);
    // The genuine link still works afterwards.
    expect((await json(await openLink(ra.link!))).code).toBe(0);
  });

  it('an expired link is 410 and changes nothing', async () => {
    const u = await mintToken();
    const r = await registerCapturingLink(u.user_id, 'late@example.com', u.token);
    expect(r.line!.expires_at - Date.now()).toBeGreaterThan(23 * 3600_000);
    await runInDurableObject(rawUserStub(env, u.user_id), async (_o: UserDO, state) => {
      state.storage.sql.exec('UPDATE email_verifications SET expires_at = ?', Date.now() - 1);
    });
    await expectRefused(r.link!, u.user_id, 410, /expired/);
  });

  it('registering again with another email replaces the pending link', async () => {
    const u = await mintToken();
    const typo = await registerCapturingLink(u.user_id, 'typo@exampel.com', u.token);
    const fixed = await registerCapturingLink(u.user_id, 'fixed@example.com', u.token);
    await expectRefused(typo.link!, u.user_id, 400, /replaced by a newer registration/);
    expect((await json(await openLink(fixed.link!))).data).toMatchObject({ credits_granted: 400 });
    // The account is now bound to the second address.
    const other = await registerCapturingLink(u.user_id, 'typo@exampel.com', u.token);
    expect(other.res.status).toBe(409);
  });

  it('a verified email cannot be bound to a second user, even with a link sent before', async () => {
    const a = await mintToken();
    const b = await mintToken();
    const rb = await registerCapturingLink(b.user_id, 'shared@example.com', b.token); // pending, not verified
    const ra = await registerCapturingLink(a.user_id, 'shared@example.com', a.token);
    expect((await json(await openLink(ra.link!))).code).toBe(0);
    await expectRefused(rb.link!, b.user_id, 409, /already registered to another account/);
    const late = await registerCapturingLink(b.user_id, 'shared@example.com', b.token);
    expect(late.res.status).toBe(409);
    expect(late.link).toBeUndefined();
    expect((await userStub(env, b.user_id).balance()).available).toBe(100);
  });

  it('the browser gets a small page, in English or Chinese, also for refusals', async () => {
    const u = await mintToken();
    const r = await registerCapturingLink(u.user_id, 'page@example.com', u.token);
    const zh = await openLink(r.link!, 'browser', 'zh-CN,zh;q=0.9');
    expect(zh.status).toBe(200);
    expect(zh.headers.get('content-type')).toMatch(/text\/html/);
    expect(await zh.text()).toContain('邮箱已验证');
    const en = await openLink(r.link!, 'browser', 'en-US');
    expect(en.status).toBe(410);
    expect(await en.text()).toMatch(/Could not verify[\s\S]*already used/);
    expect((await ledgerRows(u.user_id)).filter(([, amount]) => amount === 400)).toHaveLength(1);
  });

  it('a webhook channel goes through the outbound guard: an inside address is refused, the user told it failed', async () => {
    const msg = { user_id: 'u_x', email: 'x@example.com', verify_url: 'http://x/api/auth/verify', expires_at: 0 };
    const hooked = { ...env, REGISTRATION_WEBHOOK_URL: 'http://169.254.169.254/hook', ALLOW_PRIVATE_OUTBOUND: '' };
    const err = await deliverVerification(hooked, msg).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toMatch(/could not be sent/);
  });
});
