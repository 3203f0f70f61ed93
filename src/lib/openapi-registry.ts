import type { z } from 'zod';

/**
 * Each route module describes its endpoints with the same zod schemas it validates with;
 * `GET /openapi.json` is assembled from these, so the document cannot drift from the code.
 */
export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'delete' | 'patch' | 'head' | 'options';
  path: string;
  summary: string;
  auth?: boolean;
  body?: z.ZodType;
  bodyType?: string;
  query?: z.ZodObject;
  data?: z.ZodType;
  /** false: the answer is `data` itself, not wrapped in the envelope (ADK's routes). */
  envelope?: boolean;
  produces?: string;
  tags?: string[];
}
