import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../src/lib/app-env.ts';
import { onError } from '../../src/lib/on-error.ts';
import { call, json } from './helpers.ts';

describe('health, openapi and errors', () => {
  it('answers /health without auth', async () => {
    const res = await call('/health');
    expect(res.status).toBe(200);
    const body = await json<{ status: string; engine: string }>(res);
    expect(body.data).toMatchObject({ status: 'ok', engine: 'not configured' });
  });

  it('publishes an OpenAPI document covering the contract paths', async () => {
    const res = await call('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    for (const [path, method] of [
      ['/api/auth/anonymous-token', 'post'],
      ['/api/tasks/me/with-session/nemo_agent', 'post'],
      ['/api/credits/balance/simple', 'get'],
      ['/api/state/nemo_agent/me/{sid}/latest', 'get'],
      ['/run_sse', 'post'],
      ['/api/upload-video/nemo_agent/me/{sid}', 'post'],
      ['/api/upload-video/nemo_agent/me/{sid}/raw', 'put'],
      ['/api/render/proxy/lambda', 'post'],
      ['/api/render/proxy/lambda/{render_id}', 'get'],
      ['/s/{share_id}', 'get'],
      ['/health', 'get'],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
    const body = doc.paths['/api/tasks/me/with-session/nemo_agent']!.post as {
      requestBody: { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
    };
    expect(Object.keys(body.requestBody.content['application/json']!.schema.properties)).toEqual([
      'task_name',
      'language',
    ]);
  });

  it('answers an unknown route with the envelope', async () => {
    const res = await call('/api/nothing-here');
    expect(res.status).toBe(404);
    expect((await json(res)).code).toBe(404);
  });

  it('turns an unknown error into a generic 500 with a request id and no stack', async () => {
    const app = new Hono<AppEnv>();
    app.use('*', async (c, next) => {
      c.set('requestId', 'req-123');
      await next();
    });
    app.get('/boom', () => {
      throw new TypeError('secret internals at line 42');
    });
    app.onError(onError);
    const res = await app.request('/boom');
    expect(res.status).toBe(500);
    const body = await json<{ request_id: string }>(res);
    expect(body.code).toBe(500);
    expect(body.data.request_id).toBe('req-123');
    expect(body.message).toContain('req-123');
    expect(JSON.stringify(body)).not.toMatch(/secret internals|line 42|TypeError/);
  });
});

describe('CORS for browser clients', () => {
  it('answers a preflight for an authenticated upload from another origin', async () => {
    const res = await call('/api/upload-video/nemo_agent/me/ses_x/raw', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://editor.example',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'authorization, x-file-name, content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-file-name');
  });

  it('allows the headers of tus method override and of SSE client libraries in a preflight', async () => {
    // tus-js-client's overridePatchMethod sends X-HTTP-Method-Override (docs/uploads.md, tus); SSE polyfills
    // send Cache-Control and, when resuming, Last-Event-ID. A header missing here fails the preflight.
    for (const [path, method, requested] of [
      [
        '/api/upload-video/nemo_agent/me/ses_x/tus/tus_x',
        'POST',
        'authorization, tus-resumable, upload-offset, x-http-method-override, content-type',
      ],
      ['/run_sse', 'POST', 'authorization, content-type, cache-control, last-event-id'],
    ] as const) {
      const res = await call(path, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://editor.example',
          'access-control-request-method': method,
          'access-control-request-headers': requested,
        },
      });
      expect(res.status).toBe(204);
      const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/\s*,\s*/);
      for (const h of requested.split(', ')) expect(allowed, `${path}: ${h}`).toContain(h);
    }
  });

  it('puts CORS headers on envelope answers, errors included', async () => {
    const res = await call('/api/credits/balance/simple', { headers: { origin: 'https://editor.example' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toContain('X-Request-Id');
  });
});
