import { AppError, ErrorCode } from './errors.ts';
import { hmacHex, safeEqual } from './ids.ts';

/** Short enough that a leaked URL is soon useless, long enough for a slow render's reads. */
export const DEFAULT_URL_TTL_S = 2 * 3600;

export type BlobMethod = 'GET' | 'PUT';

const payload = (method: BlobMethod, key: string, expS: number) => `${method}\n${key}\n${expS}`;

/**
 * A URL scoped to one R2 object and one method, valid until `exp` (unix seconds), served by
 * the Worker's `/api/blob/*` route. The engine and download links use these, so nothing
 * outside the Worker ever holds R2 credentials.
 */
export async function signBlobUrl(
  secret: string,
  origin: string,
  key: string,
  method: BlobMethod,
  ttlS = DEFAULT_URL_TTL_S,
  nowMs = Date.now(),
): Promise<string> {
  const expS = Math.floor(nowMs / 1000) + ttlS;
  const sig = await hmacHex(secret, payload(method, key, expS));
  const path = key.split('/').map(encodeURIComponent).join('/');
  return `${origin.replace(/\/$/, '')}/api/blob/${path}?m=${method}&exp=${expS}&sig=${sig}`;
}

export async function verifyBlobSignature(
  secret: string,
  key: string,
  method: BlobMethod,
  url: URL,
  nowMs = Date.now(),
) {
  const expS = Number(url.searchParams.get('exp'));
  const sig = url.searchParams.get('sig') ?? '';
  if (url.searchParams.get('m') !== method || !Number.isFinite(expS) || !sig) {
    throw new AppError(ErrorCode.UNAUTHORIZED, 'This link is not signed for this use');
  }
  if (expS * 1000 < nowMs) throw new AppError(ErrorCode.GONE, 'This link has expired: ask for a new one');
  const expected = await hmacHex(secret, payload(method, key, expS));
  if (!safeEqual(expected, sig)) throw new AppError(ErrorCode.UNAUTHORIZED, 'Bad signature on this link');
}

/** The origin signed URLs should point at: configured, or the one the request came in on. */
export function publicOrigin(env: Env, requestUrl: string): string {
  return env.PUBLIC_BASE_URL || new URL(requestUrl).origin;
}
