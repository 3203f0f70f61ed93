/**
 * Request signing between the Worker and the media engine, shared by both sides (WebCrypto only,
 * so it runs in workerd and in Node). The engine is reachable on a port the Worker must be able to
 * reach, so anyone on that network could otherwise make it read and write URLs of their choosing.
 *
 * Signature = hex HMAC-SHA256(secret, METHOD \n path?query \n timestamp-ms \n nonce \n sha256(body)).
 * The timestamp bounds clock skew (±5 min); the nonce lets the engine refuse a replay inside that window.
 */
import { hmacHex, safeEqual, sha256Hex, toHex } from './ids.ts';

export const ENGINE_AUTH_HEADERS = {
  timestamp: 'x-openedit-timestamp',
  nonce: 'x-openedit-nonce',
  signature: 'x-openedit-signature',
} as const;

export const ENGINE_MAX_SKEW_MS = 5 * 60_000;

/** What the engine secret is when ENGINE_SECRET is not set: derived, so one secret is enough to configure. */
export function deriveEngineSecret(signingSecret: string): Promise<string> {
  return hmacHex(signingSecret, 'openedit engine request signing v1');
}

/**
 * The engine's key: ENGINE_SECRET when given (the derived value: least privilege, it cannot sign blob
 * URLs), else derived from SIGNING_SECRET; '' when neither is set (the caller refuses to start).
 */
export async function engineSecretFrom(engineSecret: string | undefined, signingSecret: string | undefined) {
  if (engineSecret) return engineSecret;
  return signingSecret ? deriveEngineSecret(signingSecret) : '';
}

const canonical = (method: string, path: string, ts: string, nonce: string, bodyHash: string) =>
  `${method.toUpperCase()}\n${path}\n${ts}\n${nonce}\n${bodyHash}`;

/** Headers that authenticate one request; `path` includes the query string. */
export async function signEngineRequest(
  secret: string,
  method: string,
  path: string,
  body: string,
  nowMs = Date.now(),
): Promise<Record<string, string>> {
  const ts = String(nowMs);
  const nonce = toHex(crypto.getRandomValues(new Uint8Array(16)));
  const signature = await hmacHex(secret, canonical(method, path, ts, nonce, await sha256Hex(body)));
  return {
    [ENGINE_AUTH_HEADERS.timestamp]: ts,
    [ENGINE_AUTH_HEADERS.nonce]: nonce,
    [ENGINE_AUTH_HEADERS.signature]: signature,
  };
}

export interface SignedRequestParts {
  method: string;
  path: string;
  body: string;
  header(name: string): string | undefined;
}

/** Why a request is refused, or null when its signature and timestamp hold. Replays are the caller's (stateful) check. */
export async function engineSignatureProblem(
  secret: string,
  req: SignedRequestParts,
  nowMs = Date.now(),
): Promise<string | null> {
  const ts = req.header(ENGINE_AUTH_HEADERS.timestamp) ?? '';
  const nonce = req.header(ENGINE_AUTH_HEADERS.nonce) ?? '';
  const sig = req.header(ENGINE_AUTH_HEADERS.signature) ?? '';
  if (!ts || !nonce || !sig) return 'missing request signature';
  if (!/^\d{1,16}$/.test(ts) || !/^[0-9a-f]{16,64}$/.test(nonce)) return 'malformed request signature';
  if (Math.abs(nowMs - Number(ts)) > ENGINE_MAX_SKEW_MS) return 'request timestamp outside the allowed clock skew';
  const expected = await hmacHex(secret, canonical(req.method, req.path, ts, nonce, await sha256Hex(req.body)));
  return safeEqual(expected, sig) ? null : 'bad request signature';
}
