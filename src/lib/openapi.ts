import { z } from 'zod';
import type { RouteDoc } from './openapi-registry.ts';

const Envelope = (data: z.ZodType | undefined) =>
  z.object({ code: z.number().int(), message: z.string(), data: data ? data.nullable() : z.unknown() });

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

/** Builds the OpenAPI 3.1 document from the routes' own zod schemas. */
export function buildOpenApi(docs: RouteDoc[], info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const d of docs) {
    const params = [...d.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const op: Record<string, unknown> = {
      summary: d.summary,
      tags: d.tags,
      parameters: params,
      responses: {
        200: {
          description: 'Envelope with code 0',
          content: {
            [d.produces ?? 'application/json']: {
              schema: d.produces
                ? { type: 'string' }
                : d.envelope === false
                  ? json(d.data ?? z.unknown())
                  : json(Envelope(d.data)),
            },
          },
        },
        default: {
          description: 'Envelope with a non-zero code (see the error table)',
          content: { 'application/json': { schema: json(Envelope(undefined)) } },
        },
      },
    };
    if (d.auth) op.security = [{ bearer: [] }];
    if (d.body)
      op.requestBody = { required: true, content: { [d.bodyType ?? 'application/json']: { schema: json(d.body) } } };
    paths[d.path] ??= {};
    paths[d.path]![d.method] = op;
  }
  return {
    openapi: '3.1.0',
    info,
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
