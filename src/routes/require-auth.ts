import { createMiddleware } from 'hono/factory';
import { userStub } from '../durable/user-stub.ts';
import type { AppEnv } from '../lib/app-env.ts';
import { hashToken, USER_ID_PATTERN } from '../lib/auth.ts';
import { AppError, ErrorCode } from '../lib/errors.ts';

const unauthorized = (why: string) =>
  new AppError(ErrorCode.UNAUTHORIZED, `${why}: acquire a new token with POST /api/auth/anonymous-token`);

/** Bearer auth: finds the user's Durable Object from the token and asks it to vouch for the token. */
export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthorized('Missing bearer token');
  const token = match[1]!;
  const userId = token.split('.')[0] ?? '';
  if (!USER_ID_PATTERN.test(userId) || token.length < 40) throw unauthorized('Malformed token');
  const user = userStub(c.env, userId);
  const verdict = await user.authenticate(await hashToken(token), Date.now());
  if (!verdict.ok) throw unauthorized(verdict.reason);
  c.set('userId', userId);
  c.set('user', user);
  await next();
});
