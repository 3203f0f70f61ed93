/**
 * The engine trusts only the Worker. Every request but GET /health must carry the Worker's HMAC
 * signature (src/lib/engine-auth.ts), fresh (±5 min) and never seen before; and every URL in the
 * body must point at the Worker's own signed blob route, so a caller cannot make ffmpeg read
 * local files or internal hosts, or upload a result anywhere else.
 */
import type { MiddlewareHandler } from 'hono';
import {
  ENGINE_AUTH_HEADERS,
  ENGINE_MAX_SKEW_MS,
  engineSecretFrom,
  engineSignatureProblem,
} from '../../../src/lib/engine-auth.ts';

export interface EngineAuth {
  secret: string;
  /** Origin of the Worker (its PUBLIC_BASE_URL): the only host whose /api/blob/ URLs are accepted. */
  workerOrigin: string;
}

/** ENGINE_SECRET (or SIGNING_SECRET, derived as the Worker does) and ENGINE_WORKER_ORIGIN; throws when missing. */
export async function loadEngineAuth(env: NodeJS.ProcessEnv = process.env): Promise<EngineAuth> {
  const secret = await engineSecretFrom(env.ENGINE_SECRET, env.SIGNING_SECRET);
  if (secret.length < 32) {
    throw new Error('ENGINE_SECRET (or SIGNING_SECRET) must be set, 32+ characters: the engine serves only the Worker');
  }
  const origin = env.ENGINE_WORKER_ORIGIN ?? '';
  if (!/^https?:\/\//.test(origin)) {
    throw new Error('ENGINE_WORKER_ORIGIN must be the Worker origin (http[s]://host[:port]) the engine may read from');
  }
  return { secret, workerOrigin: new URL(origin).origin };
}

/** Why `raw` is not an acceptable input/output URL, or null. Pure, so it is tested on its own. */
export function urlProblem(raw: string, workerOrigin: string): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'not an absolute URL';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'only http(s) URLs are accepted';
  if (u.username || u.password) return 'URLs with credentials are not accepted';
  if (u.origin !== workerOrigin) return 'only URLs on the Worker origin are accepted';
  if (!u.pathname.startsWith('/api/blob/')) return 'only signed /api/blob/ URLs are accepted';
  return null;
}

/**
 * Every string under a key ending in "url" (url, srt_url, inputs.*.url, ...) or in an array under
 * one ending in "urls" (part.chunk_urls), with its path for the error. The protocol names every
 * URL field so, and nothing else: a draft's texts may contain URLs and are not checked.
 */
export function urlFields(value: unknown, path = ''): { path: string; url: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => urlFields(v, `${path}${path ? '.' : ''}${i}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const p = `${path}${path ? '.' : ''}${k}`;
    if (/url$/i.test(k) && typeof v === 'string') return [{ path: p, url: v }];
    if (/urls$/i.test(k) && Array.isArray(v))
      return v.flatMap((u, i) => (typeof u === 'string' ? [{ path: `${p}.${i}`, url: u }] : urlFields(u, `${p}.${i}`)));
    return urlFields(v, p);
  });
}

/** Nonces seen within the skew window; older ones cannot be replayed anyway (their timestamp is stale). */
class NonceLog {
  private seen = new Map<string, number>();
  /** true when new (and now recorded), false for a replay. */
  admit(nonce: string, nowMs: number): boolean {
    for (const [n, until] of this.seen) {
      if (until > nowMs) break; // insertion order is time order: the rest are younger
      this.seen.delete(n);
    }
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, nowMs + 2 * ENGINE_MAX_SKEW_MS);
    return true;
  }
}

/** Hono middleware: 401 for an unsigned, stale, forged or replayed request; 400 for a URL off the Worker's blob route. */
export function engineGuard(auth: EngineAuth, now: () => number = Date.now): MiddlewareHandler {
  const nonces = new NonceLog();
  return async (c, next) => {
    const url = new URL(c.req.url);
    if (c.req.method === 'GET' && url.pathname === '/health') return next();
    const body = c.req.method === 'GET' || c.req.method === 'HEAD' ? '' : await c.req.text();
    const problem = await engineSignatureProblem(
      auth.secret,
      { method: c.req.method, path: url.pathname + url.search, body, header: (n) => c.req.header(n) },
      now(),
    );
    if (problem) return c.json({ error: `unauthorized: ${problem}` }, 401);
    if (!nonces.admit(c.req.header(ENGINE_AUTH_HEADERS.nonce) ?? '', now())) {
      return c.json({ error: 'unauthorized: replayed request' }, 401);
    }
    if (body) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        return c.json({ error: 'body: must be JSON' }, 400);
      }
      for (const f of urlFields(parsed)) {
        const why = urlProblem(f.url, auth.workerOrigin);
        if (why) return c.json({ error: `${f.path}: ${why}` }, 400);
      }
    }
    return next();
  };
}
