import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './app-env.ts';
import { AppError, ErrorCode } from './errors.ts';
import { hmacHex, sha256Hex, toBase64Url } from './ids.ts';
import { USER_ID_PATTERN, userStub } from './user-stub.ts';

export const TOKEN_TTL_MS = 7 * 24 * 3600 * 1000;
export const STARTER_CREDITS = 100;

/**
 * The user id is derived from the client id with a keyed hash: the same client id always
 * finds the same Durable Object, and nobody can guess another user's id from theirs.
 */
export async function userIdForClient(secret: string, clientId: string): Promise<string> {
  return `u_${(await hmacHex(secret, `client:${clientId}`)).slice(0, 24)}`;
}

/** Tokens carry the user id in clear (to find the DO) and 256 random bits; only a hash is stored. */
export function newToken(userId: string): string {
  return `${userId}.${toBase64Url(crypto.getRandomValues(new Uint8Array(32)))}`;
}

export const hashToken = (token: string) => sha256Hex(token);

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
