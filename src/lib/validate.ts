import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError, ErrorCode } from './errors.ts';
import { jsonDepthExceeds, MAX_JSON_BODY_BYTES, MAX_JSON_DEPTH } from './json-limits.ts';

/** "field `new_message.parts.0.text`: expected string" — the message names the bad field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `field \`${i.path.join('.')}\`: ${i.message}` : i.message))
    .join('; ');
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new AppError(ErrorCode.BAD_REQUEST, `Invalid ${what}: ${describeIssues(result.error)}`);
  return result.data;
}

const tooBig = () =>
  new AppError(ErrorCode.BAD_REQUEST, `Invalid body: larger than ${MAX_JSON_BODY_BYTES} bytes (the limit for JSON)`, {
    max_bytes: MAX_JSON_BODY_BYTES,
  });

/** Reads and validates a JSON body; an empty body is validated as `{}` so defaults apply. */
export async function parseJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  if (Number(c.req.header('content-length') ?? 0) > MAX_JSON_BODY_BYTES) {
    // Drained, not cancelled: answering before the body is read makes the dev proxy reset the connection.
    await c.req.raw.body?.pipeTo(new WritableStream()).catch(() => undefined);
    throw tooBig();
  }
  const text = await c.req.text();
  if (text.length > MAX_JSON_BODY_BYTES) throw tooBig();
  if (jsonDepthExceeds(text)) {
    throw new AppError(ErrorCode.BAD_REQUEST, `Invalid body: nested deeper than ${MAX_JSON_DEPTH} levels (the limit)`);
  }
  let value: unknown = {};
  if (text.trim()) {
    try {
      value = JSON.parse(text);
    } catch {
      throw new AppError(ErrorCode.BAD_REQUEST, 'Invalid body: not valid JSON');
    }
  }
  return parseWith(schema, value);
}
