import { cors } from 'hono/cors';

/**
 * Browser clients (the web page, editors embedding the API) call from other origins: every API
 * answer carries CORS headers, and preflights name the headers our clients send (auth,
 * attribution, raw-upload file name, tus). Auth is a bearer header, not a cookie, so no
 * credentials mode is needed and any origin may call.
 */
export const apiCors = cors({
  origin: '*',
  allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  allowHeaders: [
    'Authorization',
    'Content-Type',
    'X-Client-Id',
    'X-Skill-Source',
    'X-Skill-Version',
    'X-Skill-Platform',
    'X-File-Name',
    'Range',
    'Tus-Resumable',
    'Upload-Length',
    'Upload-Offset',
    'Upload-Metadata',
    'Upload-Defer-Length',
    // tus clients behind proxies that drop PATCH/DELETE (tus-js-client's overridePatchMethod).
    'X-HTTP-Method-Override',
    // SSE client libraries for /run_sse send these (fetch-event-source, EventSource polyfills).
    'Cache-Control',
    'Last-Event-ID',
    // A retried /run_sse with the same key replays the first attempt (docs/api.md, "Retried turns").
    'Idempotency-Key',
  ],
  exposeHeaders: [
    'X-Request-Id',
    'X-Turn-Replay',
    'Retry-After',
    'Content-Range',
    'Location',
    'Tus-Resumable',
    'Tus-Version',
    'Tus-Extension',
    'Tus-Max-Size',
    'Upload-Offset',
    'Upload-Length',
    'Upload-Media-Id',
  ],
  maxAge: 600,
});
