import type { Context } from 'hono';
import { type ErrorCode, HTTP_STATUS } from './errors.ts';

export interface Envelope<T> {
  code: number;
  message: string;
  data: T | null;
}

export function envelope<T>(code: ErrorCode, message: string, data: T | null): Envelope<T> {
  return { code, message, data };
}

/** A success answer: `{code: 0, message: "ok", data}` with HTTP 200. */
export function ok<T>(c: Context, data: T, message = 'ok') {
  return c.json(envelope(0, message, data), 200);
}

export function errorResponse(
  code: ErrorCode,
  message: string,
  data: unknown = null,
  headers: Record<string, string> = {},
) {
  return new Response(JSON.stringify(envelope(code, message, data)), {
    status: HTTP_STATUS[code],
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}
