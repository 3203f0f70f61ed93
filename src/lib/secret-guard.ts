/**
 * A Worker with a missing, short or published SIGNING_SECRET would let anyone forge blob URLs,
 * share ids and webhooks, so it serves nothing but a 500 until the operator sets one
 * (`wrangler secret put SIGNING_SECRET`; `npm run setup` writes a random one into .dev.vars).
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.ts';
import { errorResponse } from './envelope.ts';
import { ErrorCode } from './errors.ts';

/** Secrets that were ever committed (the old wrangler.toml default): as good as public. */
export const PUBLISHED_SECRETS: readonly string[] = ['dev-only-signing-secret-change-me'];
export const MIN_SECRET_CHARS = 32;

/** Why this Worker must not serve with its secret, or null. */
export function secretProblem(env: Pick<Env, 'SIGNING_SECRET'>): string | null {
  const value = env.SIGNING_SECRET;
  if (!value) return 'SIGNING_SECRET is not set';
  if (PUBLISHED_SECRETS.includes(value)) return 'SIGNING_SECRET is the published development value';
  if (value.length < MIN_SECRET_CHARS) return `SIGNING_SECRET is shorter than ${MIN_SECRET_CHARS} characters`;
  return null;
}

let logged = false;

export const requireSecrets: MiddlewareHandler<AppEnv> = async (c, next) => {
  const problem = secretProblem(c.env);
  if (!problem) return next();
  if (!logged) {
    logged = true; // one line per isolate, not one per request
    console.error(JSON.stringify({ level: 'error', msg: 'refusing to serve: insecure configuration', problem }));
  }
  return errorResponse(
    ErrorCode.INTERNAL,
    `Server misconfigured: ${problem}. The operator must set a random secret (wrangler secret put SIGNING_SECRET, or npm run setup for local development).`,
  );
};
