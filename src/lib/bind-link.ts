/**
 * The registration ("bind") link handed to an out-of-credits user. It is a capability: signed
 * for that user id and expiring, so knowing someone's user id is not enough to bind their
 * account to your email (and farm its credits). The API also accepts the user's own bearer token.
 */
import { AppError, ErrorCode } from './errors.ts';
import { hmacHex, safeEqual } from './ids.ts';

export const BIND_LINK_TTL_S = 7 * 24 * 3600;

const payload = (userId: string, expS: number) => `bind\n${userId}\n${expS}`;

export async function signedBindUrl(secret: string, origin: string, userId: string, nowMs = Date.now()) {
  const exp = Math.floor(nowMs / 1000) + BIND_LINK_TTL_S;
  const sig = await hmacHex(secret, payload(userId, exp));
  return `${origin.replace(/\/$/, '')}/register?bind=${encodeURIComponent(userId)}&exp=${exp}&sig=${sig}`;
}

/** Throws 1001 unless `sig` signs `userId` until `exp` (unix seconds), still in the future. */
export async function verifyBindSignature(
  secret: string,
  userId: string,
  exp: number,
  sig: string,
  nowMs = Date.now(),
) {
  if (!Number.isInteger(exp) || !sig) {
    throw new AppError(ErrorCode.UNAUTHORIZED, 'Registration needs the link from the app (or your bearer token)');
  }
  if (exp * 1000 < nowMs)
    throw new AppError(ErrorCode.GONE, 'This registration link has expired: ask the app for a new one');
  if (!safeEqual(await hmacHex(secret, payload(userId, exp)), sig)) {
    throw new AppError(ErrorCode.UNAUTHORIZED, 'This registration link is not valid for this account');
  }
}
