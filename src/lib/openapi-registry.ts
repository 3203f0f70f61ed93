import type { z } from 'zod';

/** A header of a request or an answer, as OpenAPI describes it. */
export interface HeaderDoc {
  name: string;
  description: string;
  required?: boolean;
  /** JSON Schema; a string by default. */
  schema?: Record<string, unknown>;
}

/**
 * Each route module describes its endpoints with the same zod schemas it validates with;
 * `GET /openapi.json` is assembled from these and from the router's own table of routes (the
 * paths come from the mounts), so the document cannot drift from the code.
 */
export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'delete' | 'patch' | 'head' | 'options';
  path: string;
  summary: string;
  /** Stable name for generated clients (test/worker/openapi.test.ts requires one per operation). */
  operationId?: string;
  auth?: boolean;
  body?: z.ZodType;
  bodyType?: string;
  /** Further request bodies by content type, as JSON Schema (binary, multipart, tus). */
  bodies?: Record<string, Record<string, unknown>>;
  query?: z.ZodObject;
  headers?: HeaderDoc[];
  data?: z.ZodType;
  /** false: the answer is `data` itself, not wrapped in the envelope (ADK's routes). */
  envelope?: boolean;
  /** The success status, when not 200 (tus: 201, 204). */
  status?: number;
  /** Content type of a success answer that is not the JSON envelope. */
  produces?: string;
  /** The success answer has no body (tus HEAD, PATCH, DELETE, OPTIONS). */
  empty?: boolean;
  responseHeaders?: HeaderDoc[];
  tags?: string[];
}

/** A request the service makes to a client's URL (OpenAPI 3.1 `webhooks`), e.g. a finished render. */
export interface WebhookDoc {
  name: string;
  summary: string;
  body: z.ZodType;
  headers?: HeaderDoc[];
}

/** JSON Schema of a file's bytes: generated clients type it as a Blob. */
export const BINARY = { type: 'string', format: 'binary' } as const;
