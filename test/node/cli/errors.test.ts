import { describe, expect, it } from 'vitest';
import { decodeEnvelope } from '../../../cli/api-client.ts';
import {
  ApiError,
  exitCodeFor,
  formatErrorLine,
  NetworkError,
  RenderFailedError,
  TurnError,
  UsageError,
} from '../../../cli/errors.ts';
import { Exit } from '../../../cli/exit-codes.ts';

describe('error lines', () => {
  it('gives the bind link for 2001', () => {
    const err = new ApiError(2001, 'Out of credits', 402, { bind_url: 'http://127.0.0.1:8787/register?bind=u_1' });
    const line = formatErrorLine(err);
    expect(line).toBe(
      'openedit: error 2001: Out of credits — register to get more credits: http://127.0.0.1:8787/register?bind=u_1',
    );
    expect(line).not.toContain('\n');
    expect(exitCodeFor(err)).toBe(Exit.API);
  });

  it('says what to do for common codes', () => {
    expect(formatErrorLine(new ApiError(1002, 'Session not found', 404))).toContain('openedit sessions');
    expect(formatErrorLine(new ApiError(4001, 'Unsupported', 415, { accepted: ['mp4', 'mov'] }))).toContain(
      'accepted types: mp4, mov',
    );
    expect(formatErrorLine(new ApiError(4002, 'Too large', 413, { max_bytes: 500_000_000 }))).toContain('500 MB');
    expect(formatErrorLine(new ApiError(429, 'Slow down', 429, null, null, 30))).toContain('retry in 30 s');
    expect(formatErrorLine(new ApiError(500, 'Internal error', 500, null, 'req-9'))).toContain('request id req-9');
  });

  it('maps each failure to its documented exit code', () => {
    expect(exitCodeFor(new UsageError('x'))).toBe(1);
    expect(exitCodeFor(new NetworkError('http://127.0.0.1:1', new Error('fetch failed')))).toBe(3);
    expect(exitCodeFor(new RenderFailedError('render_1', 'boom'))).toBe(4);
    expect(exitCodeFor(new TurnError('E1', 'no media'))).toBe(5);
    expect(exitCodeFor(new TurnError('RENDER_FAILED', 'ffmpeg failed'))).toBe(4);
    expect(exitCodeFor(new TurnError('2001', 'Out of credits'))).toBe(2);
  });

  it('explains an unreachable service', () => {
    const cause = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(formatErrorLine(new NetworkError('http://127.0.0.1:1', cause))).toMatch(/ECONNREFUSED.*npm start/);
  });
});

describe('decodeEnvelope', () => {
  it('returns data on code 0', async () => {
    const res = new Response(JSON.stringify({ code: 0, message: 'ok', data: { a: 1 } }));
    expect(await decodeEnvelope(res)).toEqual({ a: 1 });
  });

  it('throws ApiError with code, data, request id and Retry-After', async () => {
    const res = new Response(JSON.stringify({ code: 429, message: 'Rate limited', data: null }), {
      status: 429,
      headers: { 'retry-after': '12', 'x-request-id': 'r1' },
    });
    const err = (await decodeEnvelope(res).catch((e) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 429, httpStatus: 429, retryAfterS: 12, requestId: 'r1' });
  });

  it('turns a non-envelope answer into an ApiError carrying the HTTP status', async () => {
    const err = (await decodeEnvelope(new Response('<html>Bad gateway</html>', { status: 502 })).catch(
      (e) => e,
    )) as ApiError;
    expect(err.code).toBe(502);
    expect(err.message).toContain('Bad gateway');
  });
});
