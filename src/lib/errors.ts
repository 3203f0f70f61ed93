/**
 * Every error the API can answer with. The status map is a Record over the codes, so the
 * compiler proves each code has an HTTP status (pattern from cloudflare/sandbox-sdk).
 */
export const ErrorCode = {
  OK: 0,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 1001,
  SESSION_NOT_FOUND: 1002,
  NOT_FOUND: 404,
  OUT_OF_CREDITS: 2001,
  PLAN_FORBIDS: 402,
  UNSUPPORTED_MEDIA: 4001,
  FILE_TOO_LARGE: 4002,
  CONFLICT: 409,
  GONE: 410,
  RATE_LIMITED: 429,
  INTERNAL: 500,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const HTTP_STATUS: Record<ErrorCode, 200 | 400 | 401 | 402 | 404 | 409 | 410 | 413 | 415 | 429 | 500> = {
  0: 200,
  400: 400,
  1001: 401,
  1002: 404,
  404: 404,
  2001: 402,
  402: 402,
  4001: 415,
  4002: 413,
  409: 409,
  410: 410,
  429: 429,
  500: 500,
};

/** The one error type routes and the Durable Object throw; `onError` shapes it into the envelope. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly data: Record<string, unknown> | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** What a Durable Object RPC method returns: its value, or the AppError it refused with. */
export type RpcResult<T> =
  | { rpc: 1; ok: true; value: T }
  | { rpc: 1; ok: false; error: { code: ErrorCode; message: string; data: Record<string, unknown> | null } };

export function isRpcResult(v: unknown): v is RpcResult<unknown> {
  return typeof v === 'object' && v !== null && (v as { rpc?: unknown }).rpc === 1 && 'ok' in v;
}

/** Unwraps an RpcResult: the value, or the AppError thrown again on the caller's side. */
export function unwrap<T>(r: RpcResult<T>): T {
  if (r.ok) return r.value;
  throw new AppError(r.error.code, r.error.message, r.error.data);
}

export const sessionNotFound = () => new AppError(ErrorCode.SESSION_NOT_FOUND, 'Session not found');
