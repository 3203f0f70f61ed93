import { Hono } from 'hono';
import type { AppEnv } from '../lib/app-env.ts';
import { buildOpenApi, type MountedRoute } from '../lib/openapi.ts';
import type { RouteDoc, WebhookDoc } from '../lib/openapi-registry.ts';
import { publicOrigin } from '../lib/signing.ts';

export const openApiDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApi',
    summary: 'This OpenAPI 3.1 document',
    produces: 'application/json',
    tags: ['meta'],
  },
];

/**
 * GET /openapi.json, built once per isolate from the docs every route module exports and the
 * router's table of routes (`routes()`, read at the first request, when every mount exists);
 * `servers` names the origin the document was fetched from.
 */
export function openApiRoute(docs: RouteDoc[], routes: () => MountedRoute[], webhooks: WebhookDoc[] = []) {
  const app = new Hono<AppEnv>();
  let doc: ReturnType<typeof buildOpenApi> | undefined;
  app.get('/', (c) => {
    doc ??= buildOpenApi([...docs, ...openApiDocs], routes(), { title: 'OpenEdit API', version: '1.0.0' }, webhooks);
    return c.json({ ...doc, servers: [{ url: publicOrigin(c.env, c.req.url) }] });
  });
  return app;
}
