import { Hono } from 'hono';
import { html } from 'hono/html';
import { REGISTRATION_CREDITS } from '../durable/registration.ts';
import { userStub } from '../durable/user-stub.ts';
import type { AppEnv } from '../lib/app-env.ts';
import { USER_ID_PATTERN } from '../lib/auth.ts';
import { ok } from '../lib/envelope.ts';
import { AppError, ErrorCode, HTTP_STATUS } from '../lib/errors.ts';
import { sha256Hex } from '../lib/ids.ts';
import type { RouteDoc } from '../lib/openapi-registry.ts';

/** Tokens are stored hashed: a copy of the user's database does not hold usable links. */
export const verifyTokenHash = (token: string) => sha256Hex(`email-verify:${token}`);

/**
 * The verification link (`/api/auth/verify?u=<user id>&t=<token>`): uses the token, claims the
 * email for this user and grants the registration credits, once. Browsers get a small page
 * (English, or Chinese for a zh Accept-Language); API clients the usual envelope. Any refusal
 * (forged, replaced, replayed, expired, email taken) changes nothing.
 */
export const verifyEmail = new Hono<AppEnv>();

verifyEmail.get('/api/auth/verify', async (c) => {
  const wantsHtml = /text\/html/.test(c.req.header('accept') ?? '');
  const zh = /^\s*zh/i.test(c.req.header('accept-language') ?? '');
  try {
    const userId = c.req.query('u') ?? '';
    const token = c.req.query('t') ?? '';
    if (!USER_ID_PATTERN.test(userId) || !/^[0-9a-f]{64}$/.test(token)) {
      throw new AppError(ErrorCode.BAD_REQUEST, 'This verification link is not valid: it was altered or cut short');
    }
    const user = userStub(c.env, userId);
    const tokenHash = await verifyTokenHash(token);
    const { email_hash } = await user.checkVerification(tokenHash);
    const owner = await userStub(c.env, `email:${email_hash}`).claim(userId);
    if (owner !== userId) {
      throw new AppError(ErrorCode.CONFLICT, 'This email is already registered to another account');
    }
    const result = await user.completeVerification(tokenHash);
    const balance = await user.balance();
    const data = { user_id: userId, registered: true, credits_granted: result.granted, credits: balance.available };
    return wantsHtml ? c.html(page(zh, true, zh ? zhDone(balance.available) : enDone(balance.available))) : ok(c, data);
  } catch (err) {
    if (!wantsHtml || !(err instanceof AppError)) throw err;
    return c.html(page(zh, false, zh ? (ZH_ERRORS[err.code] ?? err.message) : err.message), HTTP_STATUS[err.code]);
  }
});

const enDone = (credits: number) =>
  `Your email is verified: ${REGISTRATION_CREDITS} credits were added (you now have ${credits}). Return to the app.`;
const zhDone = (credits: number) =>
  `邮箱已验证：已添加 ${REGISTRATION_CREDITS} 点额度（现有 ${credits} 点）。请返回应用继续。`;

/** Chinese for the refusals above, by code (the English message is the envelope's). */
const ZH_ERRORS: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.BAD_REQUEST]: '此验证链接无效：链接被改动，或已被更新的注册取代（请使用最新的链接）。',
  [ErrorCode.GONE]: '此验证链接已使用或已过期：已验证的邮箱只发放一次额度；过期请重新注册以获取新链接。',
  [ErrorCode.CONFLICT]: '此邮箱已注册到另一个账户。',
};

function page(zh: boolean, done: boolean, message: string) {
  const title = zh ? (done ? '邮箱已验证' : '无法验证') : done ? 'Email verified' : 'Could not verify';
  return html`<!doctype html>
<html lang="${zh ? 'zh-CN' : 'en'}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title} — OpenEdit</title>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; color: #111; }
    </style>
  </head>
  <body>
    <h1>${title}</h1>
    <p role="status">${message}</p>
  </body>
</html>`;
}

export const verifyEmailDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/auth/verify',
    operationId: 'verifyEmail',
    summary: `Email verification link (?u=<user_id>&t=<token>, single use, 24 h): grants ${REGISTRATION_CREDITS} registration credits once. HTML for browsers (en/zh), else the envelope; 400 invalid or replaced, 410 used or expired, 409 email taken`,
    tags: ['auth'],
  },
];
