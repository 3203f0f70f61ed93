import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../lib/app-env.ts';
import { ok } from '../lib/envelope.ts';
import type { RouteDoc } from '../lib/openapi-registry.ts';
import { LedgerData } from './api-schemas.ts';
import { requireAuth } from './require-auth.ts';

export const BalanceData = z.object({ available: z.number(), frozen: z.number(), total: z.number() });

export const credits = new Hono<AppEnv>();
credits.use('*', requireAuth);

credits.get('/balance/simple', async (c) => {
  const { available, frozen, total } = await c.var.user.balance();
  return ok(c, { available, frozen, total });
});

credits.get('/ledger', async (c) => {
  const [rows, balance] = await Promise.all([c.var.user.ledger(), c.var.user.balance()]);
  return ok(c, { balance, rows });
});

export const creditDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/credits/balance/simple',
    operationId: 'getBalance',
    summary: 'Credits: available, frozen, total = available + frozen',
    auth: true,
    data: BalanceData,
    tags: ['credits'],
  },
  {
    method: 'get',
    path: '/api/credits/ledger',
    operationId: 'getLedger',
    summary: 'Every credits move (grant, freeze, spend, refund), newest first',
    auth: true,
    data: LedgerData,
    tags: ['credits'],
  },
];
