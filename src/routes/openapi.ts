import { Hono } from 'hono';
import type { AppEnv } from '../lib/app-env.ts';
import { buildOpenApi } from '../lib/openapi.ts';
import type { RouteDoc } from '../lib/openapi-registry.ts';

/** GET /openapi.json, generated once per isolate from the docs every route module exports. */
export function openApiRoute(docs: RouteDoc[]) {
  const app = new Hono<AppEnv>();
  let doc: unknown;
  app.get('/', (c) => {
    doc ??= buildOpenApi(docs, { title: 'OpenEdit API', version: '1.0.0' });
    return c.json(doc);
  });
  return app;
}
