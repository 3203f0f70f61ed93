import { Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { REGISTRATION_CREDITS } from '../durable/registration.ts';
import type { AppEnv } from '../lib/app-env.ts';
import { ok } from '../lib/envelope.ts';
import { AppError, ErrorCode } from '../lib/errors.ts';
import { sha256Hex } from '../lib/ids.ts';
import type { RouteDoc } from '../lib/openapi-registry.ts';
import { limitByClientIp } from '../lib/rate-limit.ts';
import { USER_ID_PATTERN, userStub } from '../lib/user-stub.ts';
import { parseJson } from '../lib/validate.ts';

export const RegisterBody = z.object({
  bind: z.string().regex(USER_ID_PATTERN, 'bind must be the user id from the bind link (u_ + 24 hex)'),
  email: z.string().trim().toLowerCase().pipe(z.email('email must be a valid address')),
});

/**
 * Registration binds an email to an anonymous user (the `bind_url` of a 2001 answer) and grants
 * REGISTRATION_CREDITS once. One email binds one user: the object named after the email's hash
 * is claimed first-come. This build sends no verification mail (no mail service offline): put a
 * verifier in front of POST /api/auth/register before exposing it publicly.
 */
export const register = new Hono<AppEnv>();

register.post('/api/auth/register', async (c) => {
  await limitByClientIp(c, 'register');
  const body = await parseJson(c, RegisterBody);
  const emailHash = await sha256Hex(`email:${body.email}`);
  const user = userStub(c.env, body.bind);
  const current = await user.getRegistration();
  if (!current) throw new AppError(ErrorCode.BAD_REQUEST, 'Unknown bind id: open the link from the app again');
  if (current.registered && current.email_hash !== emailHash) {
    throw new AppError(ErrorCode.CONFLICT, 'This account is already registered with another email');
  }
  const owner = await userStub(c.env, `email:${emailHash}`).claim(body.bind);
  if (owner !== body.bind)
    throw new AppError(ErrorCode.CONFLICT, 'This email is already registered to another account');
  const result = await user.register(emailHash);
  if (!result) throw new AppError(ErrorCode.BAD_REQUEST, 'Unknown bind id: open the link from the app again');
  const balance = await user.balance();
  return ok(c, { user_id: body.bind, registered: true, credits_granted: result.granted, credits: balance.available });
});

register.get('/register', (c) => {
  const bind = c.req.query('bind') ?? '';
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
          body: JSON.stringify({ bind: form.get('bind'), email: form.get('email') }),
        });
        const body = await res.json();
        document.getElementById('out').textContent =
          body.code === 0 ? 'Registered: you now have ' + body.data.credits + ' credits. Return to the app.' : body.message;
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
      credits_granted: z.number(),
      credits: z.number(),
    }),
    summary: `Bind an email to an anonymous user (the bind link of a 2001 answer); grants ${REGISTRATION_CREDITS} credits once`,
    body: RegisterBody,
    tags: ['auth'],
  },
  {
    method: 'get',
    path: '/register',
    operationId: 'getRegisterPage',
    summary: 'Registration page for a bind link (?bind=<user_id>)',
    produces: 'text/html',
    tags: ['auth'],
  },
];
