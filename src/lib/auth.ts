import { hmacHex, sha256Hex, toBase64Url } from './ids.ts';

/** A user id names its Durable Object directly: no global table maps users to objects. */
export const USER_ID_PATTERN = /^u_[0-9a-f]{24}$/;

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
