import { Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { REGISTRATION_CREDITS } from '../durable/registration.ts';
import { userStub } from '../durable/user-stub.ts';
import type { AppEnv } from '../lib/app-env.ts';
import { USER_ID_PATTERN } from '../lib/auth.ts';
import { verifyBindSignature } from '../lib/bind-link.ts';
import { ok } from '../lib/envelope.ts';
import { AppError, ErrorCode } from '../lib/errors.ts';
import { sha256Hex, toHex } from '../lib/ids.ts';
import type { RouteDoc } from '../lib/openapi-registry.ts';
import { limitByClientIp } from '../lib/rate-limit.ts';
import { publicOrigin } from '../lib/signing.ts';
import { parseJson } from '../lib/validate.ts';
import { deliverVerification } from '../lib/verification-delivery.ts';
import { requireAuth } from './require-auth.ts';
import { verifyTokenHash } from './verify-email.ts';

export const RegisterBody = z.object({
  bind: z.string().regex(USER_ID_PATTERN, 'bind must be the user id from the bind link (u_ + 24 hex)'),
  email: z.string().trim().toLowerCase().pipe(z.email('email must be a valid address')),
  /** From the bind link (`exp`, `sig`): proof the link was issued to this user. Not needed with the user's bearer token. */
  // The page posts form values: '' or null mean "not given".
  exp: z.preprocess((v) => (v === '' || v === null ? undefined : v), z.coerce.number().int().optional()),
  sig: z.string().max(128).nullish(),
});

/**
 * Registration binds an email to an anonymous user (the `bind_url` of a 2001 answer). It only
 * starts an email verification: the link (single use, 24 h) goes to the log or
 * REGISTRATION_WEBHOOK_URL, and REGISTRATION_CREDITS are granted once when it is opened
 * (verify-email.ts). One email binds one user: the object named after the email's hash is
 * claimed first-come at verification.
 */
export const register = new Hono<AppEnv>();

register.post('/api/auth/register', async (c) => {
  await limitByClientIp(c, 'register');
  const body = await parseJson(c, RegisterBody);
  // Only the account's owner may bind it: their own token, or the signed link only they were given.
  if (c.req.header('authorization')) {
    await requireAuth(c, async () => undefined);
    if (c.var.userId !== body.bind) throw new AppError(ErrorCode.UNAUTHORIZED, 'This token belongs to another account');
  } else {
    await verifyBindSignature(c.env.SIGNING_SECRET, body.bind, body.exp ?? Number.NaN, body.sig ?? '');
  }
  const emailHash = await sha256Hex(`email:${body.email}`);
  const user = userStub(c.env, body.bind);
  const current = await user.getRegistration();
  if (!current) throw new AppError(ErrorCode.BAD_REQUEST, 'Unknown bind id: open the link from the app again');
  if (current.registered) {
    if (current.email_hash !== emailHash) {
      throw new AppError(ErrorCode.CONFLICT, 'This account is already registered with another email');
    }
    const balance = await user.balance();
    return ok(c, {
      user_id: body.bind,
      registered: true,
      verification: 'done',
      credits_granted: 0,
      credits: balance.available,
    });
  }
  // Early answer only: the email is claimed when it is verified (src/routes/verify-email.ts).
  const owner = await userStub(c.env, `email:${emailHash}`).claimOwner();
  if (owner && owner !== body.bind) {
    throw new AppError(ErrorCode.CONFLICT, 'This email is already registered to another account');
  }
  const token = toHex(crypto.getRandomValues(new Uint8Array(32)));
  const pending = await user.startVerification(emailHash, await verifyTokenHash(token));
  if (!pending) throw new AppError(ErrorCode.BAD_REQUEST, 'Unknown bind id: open the link from the app again');
  const origin = publicOrigin(c.env, c.req.url).replace(/\/$/, '');
  const link = `${origin}/api/auth/verify?u=${body.bind}&t=${token}`;
  const channel = await deliverVerification(c.env, {
    user_id: body.bind,
    email: body.email,
    verify_url: link,
    expires_at: pending.expires_at,
  });
  const balance = await user.balance();
  return ok(c, {
    user_id: body.bind,
    registered: false,
    verification: 'pending',
    verification_sent_via: channel,
    verification_expires_at: pending.expires_at,
    credits_granted: 0,
    credits: balance.available,
  });
});

register.get('/register', (c) => {
  const bind = c.req.query('bind') ?? '';
  // Carried through to the POST: the link's signature is what lets this page register the account.
  const exp = c.req.query('exp') ?? '';
  const sig = c.req.query('sig') ?? '';
  return c.html(html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Register — OpenEdit</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; color: #111; }
      input, button { font: inherit; padding: 0.6rem; width: 100%; box-sizing: border-box; margin-top: 0.5rem; }
      button { background: #111; color: #fff; border: 0; border-radius: 6px; cursor: pointer; }
      #out { margin-top: 1rem; }
    </style>
  </head>
  <body>
    <h1>Keep editing</h1>
    <p>Register your email to bind this device's account and get ${REGISTRATION_CREDITS} more credits.</p>
    <form id="f">
      <input type="hidden" name="bind" value="${bind}" />
      <input type="hidden" name="exp" value="${exp}" />
      <input type="hidden" name="sig" value="${sig}" />
      <label>Email <input type="email" name="email" required autocomplete="email" /></label>
      <button type="submit">Register</button>
    </form>
    <p id="out" role="status"></p>
    <script>
      document.getElementById('f').addEventListener('submit', async (e) => {
        e.preventDefault();
        const form = new FormData(e.target);
        const res = await fetch('/api/auth/register', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ bind: form.get('bind'), email: form.get('email'), exp: form.get('exp'), sig: form.get('sig') }),
        });
        const body = await res.json();
        document.getElementById('out').textContent =
          body.code !== 0 ? body.message
          : body.data.registered ? 'Registered: you have ' + body.data.credits + ' credits. Return to the app.'
          : 'Almost done: open the verification link sent for this email (valid 24 hours) to get the credits.';
      });
    </script>
  </body>
</html>`);
});

export const registerDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/auth/register',
    operationId: 'registerEmail',
    data: z.object({
      user_id: z.string(),
      registered: z.boolean(),
      verification: z.enum(['pending', 'done']),
      verification_sent_via: z.string().optional(),
      verification_expires_at: z.number().optional(),
      credits_granted: z.number(),
      credits: z.number(),
    }),
    summary: `Bind an email to an anonymous user: starts an email verification (link logged or sent to REGISTRATION_WEBHOOK_URL); ${REGISTRATION_CREDITS} credits once the link is opened. Needs the user's bearer token, or exp+sig from the signed bind link of a 2001 answer (else 1001)`,
    body: RegisterBody,
    tags: ['auth'],
  },
  {
    method: 'get',
    path: '/register',
    operationId: 'getRegisterPage',
    summary: 'Registration page for a signed bind link (?bind=<user_id>&exp=…&sig=…)',
    produces: 'text/html',
    tags: ['auth'],
  },
];
