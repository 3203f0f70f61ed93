import { Hono } from 'hono';
import type { AppEnv } from '../lib/app-env.ts';
import { engineIds, engineLoads } from '../lib/engine-client.ts';
import { ok } from '../lib/envelope.ts';
import type { RouteDoc } from '../lib/openapi-registry.ts';
import { HealthData } from './api-schemas.ts';

export const health = new Hono<AppEnv>();

/**
 * Liveness of the Worker, plus whether the media engines answer (they are optional for the API
 * itself): "ok" while at least one of the pool passes its (signed) health check. How many do is
 * in `engines`; which ones is for the operator's log, not for the public.
 */
health.get('/', async (c) => {
  const ids = engineIds(c.env);
  const loads = ids.length > 0 ? await engineLoads(c.env, ids) : [];
  const healthy = loads.filter((l) => l.load !== null).length;
  const engine = ids.length === 0 ? 'not configured' : healthy > 0 ? 'ok' : 'unreachable';
  return ok(c, {
    status: 'ok',
    engine,
    engines: { configured: ids.length, healthy },
    time: new Date().toISOString(),
  });
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
