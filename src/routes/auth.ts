import { Hono } from 'hono';
import { z } from 'zod';
import { userStub } from '../durable/user-stub.ts';
import type { AppEnv } from '../lib/app-env.ts';
import { hashToken, newToken, STARTER_CREDITS, TOKEN_TTL_MS, userIdForClient } from '../lib/auth.ts';
import { ok } from '../lib/envelope.ts';
import { AppError, ErrorCode } from '../lib/errors.ts';
import type { RouteDoc } from '../lib/openapi-registry.ts';
import { limitByClientIp } from '../lib/rate-limit.ts';

const ClientId = z
  .string()
  .min(8, 'X-Client-Id must be 8 to 128 characters')
  .max(128, 'X-Client-Id must be 8 to 128 characters')
  .refine(
    (id) => ![...id].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f),
    'X-Client-Id must not contain control characters (tabs, newlines)',
  );

export const TokenData = z.object({
  token: z.string(),
  user_id: z.string(),
  credits: z.number(),
  expires_at: z.number().describe('unix ms'),
});

export const auth = new Hono<AppEnv>();

auth.post('/anonymous-token', async (c) => {
  const header = c.req.header('x-client-id');
  if (header === undefined)
    throw new AppError(
      ErrorCode.BAD_REQUEST,
      'Missing X-Client-Id header (8-128 characters identifying this device or client)',
    );
  const parsed = ClientId.safeParse(header.trim());
  if (!parsed.success) throw new AppError(ErrorCode.BAD_REQUEST, parsed.error.issues[0]!.message);
  const userId = await userIdForClient(c.env.SIGNING_SECRET, parsed.data);
  // Only new identities count against the limit: a returning client (same X-Client-Id) is never
  // locked out, and farming starter credits needs new identities.
  if ((await userStub(c.env, userId).getRegistration()) === null) await limitByClientIp(c, 'mint');
  const token = newToken(userId);
  const minted = await userStub(c.env, userId).mintToken({
    userId,
    tokenHash: await hashToken(token),
    nowMs: Date.now(),
    ttlMs: TOKEN_TTL_MS,
    starterCredits: STARTER_CREDITS,
  });
  return ok(c, { token, user_id: minted.user_id, credits: minted.credits, expires_at: minted.expires_at });
});

export const authDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/auth/anonymous-token',
    operationId: 'mintAnonymousToken',
    headers: [{ name: 'X-Client-Id', required: true, description: 'Your device or install id, 8-128 characters' }],
    summary: 'Mint an anonymous token (header X-Client-Id, 8-128 chars). Same client id → same user, no new credits.',
    data: TokenData,
    tags: ['auth'],
  },
];
