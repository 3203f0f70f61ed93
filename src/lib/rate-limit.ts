import type { Context } from 'hono';
import type { AppEnv } from './app-env.ts';
import { AppError, ErrorCode } from './errors.ts';

/** The limiter's window (wrangler.toml `period`); what a refused client is told to wait. */
const WINDOW_S = 60;

/**
 * Limits unauthenticated writes (token minting, registration) per client IP with the Workers
 * rate-limiting binding. Cloudflare sets CF-Connecting-IP on every request in production; local
 * development has no client address, so nothing is limited there.
 */
export async function limitByClientIp(c: Context<AppEnv>, scope: string): Promise<void> {
  const ip = c.req.header('cf-connecting-ip');
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
