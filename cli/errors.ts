/** Errors the CLI reports as one line each, and the exit code each maps to. */
import { Exit, type ExitCode } from './exit-codes.ts';

export class UsageError extends Error {
  override name = 'UsageError';
}

/** An API envelope with code != 0. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: number,
    message: string,
    readonly httpStatus: number,
    readonly data: Record<string, unknown> | null = null,
    readonly requestId: string | null = null,
    readonly retryAfterS: number | null = null,
  ) {
    super(message);
  }
}

export class NetworkError extends Error {
  override name = 'NetworkError';
  constructor(
    readonly url: string,
    override readonly cause: unknown,
  ) {
    const why = causeText(cause);
    super(
      /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH/.test(why)
        ? `cannot reach ${url}: ${why}`
        : `connection to ${url} failed: ${why}`,
    );
  }
}

export class RenderFailedError extends Error {
  override name = 'RenderFailedError';
  constructor(
    readonly renderId: string,
    message: string,
  ) {
    super(message);
  }
}

/** The agent's turn ended with an errorCode event. */
export class TurnError extends Error {
  override name = 'TurnError';
  constructor(
    readonly code: string | number,
    message: string,
  ) {
    super(message);
  }
}

function causeText(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as Error & { cause?: unknown }).cause;
    const code = inner && typeof inner === 'object' && 'code' in inner ? String((inner as { code: unknown }).code) : '';
    return code || cause.message;
  }
  return String(cause);
}

/** What to do about an API error code, in one short clause. */
export function hintFor(err: ApiError): string {
  const d = err.data ?? {};
  switch (err.code) {
    case 400:
      return 'check the request (see `openedit --help`)';
    case 1001:
      return 'the token was rejected: unset OPENEDIT_TOKEN/NEMO_TOKEN or run `openedit credits` to fetch a new one';
    case 1002:
      return 'start a new session (omit --session) or list yours with `openedit sessions`';
    case 2001:
      return typeof d.bind_url === 'string'
        ? `register to get more credits: ${d.bind_url}`
        : 'out of credits: register or top up';
    case 402:
      return 'your plan does not allow this: register or choose a lower quality';
    case 4001:
      return Array.isArray(d.accepted)
        ? `accepted types: ${d.accepted.join(', ')}`
        : 'use mp4, mov, webm, mkv, jpg, png, mp3, wav…';
    case 4002:
      return typeof d.max_bytes === 'number'
        ? `the limit is ${Math.round(d.max_bytes / 1e6)} MB per file`
        : 'use a smaller file';
    case 429:
      return err.retryAfterS !== null ? `retry in ${err.retryAfterS} s` : 'retry in a little while';
    case 404:
      return 'this service has no such route (an older version?): see its /openapi.json';
    case 503:
      return 'the media engine is not reachable: is the whole stack running (`npm start`)?';
    default:
      if (err.code >= 500)
        return `server error${err.requestId ? ` (request id ${err.requestId})` : ''}: retry, or check the server logs`;
      return 'see docs/cli.md';
  }
}

/** One line, no stack trace: `openedit: error 2001: Out of credits — register …`. */
export function formatErrorLine(err: unknown): string {
  if (err instanceof ApiError) return `openedit: error ${err.code}: ${err.message} — ${hintFor(err)}`;
  if (err instanceof NetworkError) {
    const hint = err.message.startsWith('cannot reach')
      ? 'is the service running? Start it with `npm start` or pass --base-url'
      : 'the service dropped the connection: check its logs and retry';
    return `openedit: ${err.message} — ${hint}`;
  }
  if (err instanceof RenderFailedError) return `openedit: render ${err.renderId} failed: ${err.message}`;
  if (err instanceof TurnError) {
    return `openedit: the edit failed (${err.code}): ${err.message} — see \`openedit status\` for the timeline as it is now`;
  }
  if (err instanceof UsageError) return `openedit: ${err.message} (see \`openedit --help\`)`;
  return `openedit: ${err instanceof Error ? err.message : String(err)}`;
}

export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof UsageError) return Exit.USAGE;
  if (err instanceof ApiError) return Exit.API;
  if (err instanceof NetworkError) return Exit.NETWORK;
  if (err instanceof RenderFailedError) return Exit.RENDER_FAILED;
  if (err instanceof TurnError) {
    // A render the agent started in the turn, or an API refusal (e.g. 2001) inside it: same codes as outside a turn.
    if (err.code === 'RENDER_FAILED') return Exit.RENDER_FAILED;
    if (/^\d+$/.test(String(err.code))) return Exit.API;
    return Exit.TURN_FAILED;
  }
  return Exit.API;
}
