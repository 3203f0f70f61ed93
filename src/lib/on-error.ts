import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './app-env.ts';
import { errorResponse } from './envelope.ts';
import { AppError, ErrorCode } from './errors.ts';

/** The one place errors become responses: known errors keep their code, anything else is a logged 500. */
export function onError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof AppError) return errorResponse(err.code, err.message, err.data, err.headers);
  if (err instanceof HTTPException) {
    const status = err.status;
    const code =
      status === 401
        ? ErrorCode.UNAUTHORIZED
        : status === 404
          ? ErrorCode.NOT_FOUND
          : status === 413
            ? ErrorCode.FILE_TOO_LARGE
            : ErrorCode.BAD_REQUEST;
    return errorResponse(code, err.message || 'Bad request');
  }
  const requestId = c.get('requestId') ?? crypto.randomUUID();
  console.error(
    JSON.stringify({
      level: 'error',
      requestId,
      path: new URL(c.req.url).pathname,
      error: String(err),
      stack: err.stack,
    }),
  );
  return errorResponse(
    ErrorCode.INTERNAL,
    `Internal error (request id ${requestId}); please retry or report this id`,
    { request_id: requestId },
    { 'x-request-id': requestId },
  );
}
