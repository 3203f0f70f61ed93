import type { Context } from 'hono';
import type { AppEnv } from './app-env.ts';
import { AppError, ErrorCode } from './errors.ts';

/** The limiter's window (wrangler.toml `period`); what a refused client is told to wait. */
const WINDOW_S = 60;

/**
 * The client address to limit by, from the header named by CLIENT_IP_HEADER (wrangler.toml:
 * `cf-connecting-ip`, which Cloudflare sets and overwrites on every request in production).
 * Where no trusted proxy sets a header (workerd exposed directly, where a client can send any
 * CF-Connecting-IP it likes), CLIENT_IP_HEADER is "" and every client shares one key: a global
 * limit nobody can dodge by inventing addresses. undefined: no address known (local tests).
 */
export function clientKey(c: Context<AppEnv>): string | undefined {
  const header = c.env.CLIENT_IP_HEADER;
  if (!header) return 'all-clients';
  return c.req.header(header) || undefined;
}

/**
 * Limits unauthenticated writes (new identities at token minting, registration) per client with
 * the Workers rate-limiting binding.
 */
export async function limitByClientIp(c: Context<AppEnv>, scope: string): Promise<void> {
  const ip = clientKey(c);
  if (!ip) return;
  const { success } = await c.env.MINT_LIMITER.limit({ key: `${scope}:${ip}` });
  if (!success) {
    throw new AppError(
      ErrorCode.RATE_LIMITED,
      `Too many requests from this address: retry in ${WINDOW_S} seconds`,
      { retry_after_s: WINDOW_S },
      { 'retry-after': String(WINDOW_S) },
    );
  }
}
