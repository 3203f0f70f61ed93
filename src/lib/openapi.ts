import { z } from 'zod';
import type { HeaderDoc, RouteDoc, WebhookDoc } from './openapi-registry.ts';

const Envelope = (data: z.ZodType | undefined) =>
  z.object({ code: z.number().int(), message: z.string(), data: data ? data.nullable() : z.unknown() });

const json = (schema: z.ZodType, io: 'input' | 'output' = 'input') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any' });

/** A route as the router knows it (Hono's `app.routes`): the paths come from the mounts. */
export interface MountedRoute {
  method: string;
  path: string;
}

/** `/api/sessions/:sid` → `/api/sessions/{sid}`; a trailing `*` takes the documented parameter's name. */
function toOpenApiPath(routePath: string, docPath: string): string {
  const tail = /\{(\w+)\}$/.exec(docPath)?.[1] ?? 'path';
  return routePath.replace(/:(\w+)/g, '{$1}').replace(/\/\*$/, `/{${tail}}`);
}

/**
 * The router's path for a documented operation. A document path that no route serves throws:
 * the docs name the operation, the router says where it really is. OPTIONS is answered for
 * every path (CORS, tus discovery), so it matches any route at its path.
 */
function mountedPath(d: RouteDoc, routes: MountedRoute[]): string {
  const method = d.method.toUpperCase();
  for (const r of routes) {
    const sameMethod = r.method === method || (method === 'HEAD' && r.method === 'GET') || method === 'OPTIONS';
    if (sameMethod && r.method !== 'ALL' && toOpenApiPath(r.path, d.path) === d.path) return d.path;
  }
  throw new Error(`OpenAPI: no route serves ${method} ${d.path}`);
}

const header = (h: HeaderDoc, where: 'header' | 'response') =>
  where === 'header'
    ? {
        name: h.name,
        in: 'header',
        required: h.required ?? false,
        description: h.description,
        schema: h.schema ?? { type: 'string' },
      }
    : { description: h.description, required: h.required ?? false, schema: h.schema ?? { type: 'string' } };

function successContent(d: RouteDoc) {
  if (d.empty) return undefined;
  if (d.produces === 'application/octet-stream')
    return { [d.produces]: { schema: { type: 'string', format: 'binary' } } };
  if (d.produces) return { [d.produces]: { schema: { type: 'string' } } };
  const schema = d.envelope === false ? json(d.data ?? z.unknown(), 'output') : json(Envelope(d.data), 'output');
  return { 'application/json': { schema } };
}

function operation(d: RouteDoc, path: string) {
  const params: Record<string, unknown>[] = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (d.query) {
    const q = json(d.query) as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, schema] of Object.entries(q.properties ?? {}))
      params.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
  }
  for (const h of d.headers ?? []) params.push(header(h, 'header'));
  const status = String(d.status ?? 200);
  const success: Record<string, unknown> = { description: d.empty ? 'Success, no body' : 'Success' };
  const content = successContent(d);
  if (content) success.content = content;
  if (d.responseHeaders?.length)
    success.headers = Object.fromEntries(d.responseHeaders.map((h) => [h.name, header(h, 'response')]));
  const op: Record<string, unknown> = {
    operationId: d.operationId,
    summary: d.summary,
    tags: d.tags,
    parameters: params,
    // Public operations say so explicitly: an empty list overrides nothing, it states "no auth".
    security: d.auth ? [{ bearer: [] }] : [],
    responses: {
      [status]: success,
      default: {
        description: 'Envelope with a non-zero code (docs/api.md, error codes)',
        content: { 'application/json': { schema: json(Envelope(undefined), 'output') } },
      },
    },
  };
  const bodies: Record<string, unknown> = {};
  if (d.body) bodies[d.bodyType ?? 'application/json'] = { schema: json(d.body) };
  for (const [type, schema] of Object.entries(d.bodies ?? {})) bodies[type] = { schema };
  if (Object.keys(bodies).length) op.requestBody = { required: true, content: bodies };
  return op;
}

/** Builds the OpenAPI 3.1 document from the routes' own zod schemas and the router's paths. */
export function buildOpenApi(
  docs: RouteDoc[],
  routes: MountedRoute[],
  info: { title: string; version: string; servers?: { url: string }[] },
  webhookDocs: WebhookDoc[] = [],
) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const d of docs) {
    const path = mountedPath(d, routes);
    paths[path] ??= {};
    paths[path]![d.method] = operation(d, path);
  }
  // A served route nobody documented still appears, without an operationId: the OpenAPI test
  // fails on it, while the document keeps being served.
  for (const r of routes) {
    const method = r.method.toLowerCase();
    if (r.method === 'ALL' || docs.some((d) => d.method === method && toOpenApiPath(r.path, d.path) === d.path))
      continue;
    const path = toOpenApiPath(r.path, '');
    paths[path] ??= {};
    paths[path]![method] = operation(
      { method: method as RouteDoc['method'], path, summary: 'Undocumented route' },
      path,
    );
  }
  const webhooks: Record<string, unknown> = {};
  for (const w of webhookDocs) {
    webhooks[w.name] = {
      post: {
        operationId: w.name,
        summary: w.summary,
        parameters: (w.headers ?? []).map((h) => header(h, 'header')),
        requestBody: { required: true, content: { 'application/json': { schema: json(w.body, 'output') } } },
        responses: { '200': { description: 'Any 2xx: received; anything else is retried' } },
      },
    };
  }
  const { servers, ...rest } = info;
  return {
    openapi: '3.1.0',
    info: { ...rest, description: 'The wire contract is docs/api.md in the repository.' },
    servers: servers ?? [],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
    webhooks,
  };
}
