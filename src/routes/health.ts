import { Hono } from 'hono';
import type { AppEnv } from '../lib/app-env.ts';
import { ok } from '../lib/envelope.ts';
import type { RouteDoc } from '../lib/openapi-registry.ts';
import { HealthData } from './api-schemas.ts';

export const health = new Hono<AppEnv>();

/** Liveness of the Worker, plus whether the media engine answers (it is optional for the API itself). */
health.get('/', async (c) => {
  let engine: 'ok' | 'unreachable' | 'not configured' = 'not configured';
  if (c.env.ENGINE_URL) {
    try {
      const res = await fetch(`${c.env.ENGINE_URL}/health`, { signal: AbortSignal.timeout(2000) });
      engine = res.ok ? 'ok' : 'unreachable';
    } catch {
      engine = 'unreachable';
    }
  }
  return ok(c, { status: 'ok', engine, time: new Date().toISOString() });
});

export const healthDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    summary: 'Service health and engine reachability',
    data: HealthData,
    tags: ['meta'],
  },
];
