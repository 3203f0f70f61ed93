import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { HealthData, LedgerData, SessionListData, StateData } from '../../src/routes/api-schemas.ts';
import { addClip, events, message, runSse } from './chat-fixtures.ts';
import { call, json, userWithSession } from './helpers.ts';

type Op = {
  operationId?: string;
  security?: unknown[];
  parameters: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }>; headers?: object }>;
};
type Doc = {
  servers: { url: string }[];
  paths: Record<string, Record<string, Op>>;
  webhooks: Record<string, Record<string, Op>>;
};

async function openapi(): Promise<Doc> {
  const res = await call('/openapi.json');
  expect(res.status).toBe(200);
  return (await res.json()) as Doc;
}

const ops = (doc: Doc) =>
  Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([m, op]) => ({ path, m, op })));

/** A real answer must parse with the schema the document publishes for it. */
async function conforms(schema: z.ZodType, res: Response) {
  const body = await json(res);
  expect(body.code).toBe(0);
  const parsed = schema.safeParse(body.data);
  expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
}

describe('GET /openapi.json', () => {
  it('documents every route the router serves: none is left without an operationId', async () => {
    const doc = await openapi();
    const undocumented = ops(doc)
      .filter(({ op }) => !op.operationId)
      .map(({ path, m }) => `${m.toUpperCase()} ${path}`);
    expect(undocumented).toEqual([]);
    // Paths come from the mounts: the router's, so a mount moved is a path moved.
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/blob/{key}', '/run', '/list-apps']));
  });

  it('gives every operation an operationId, a security list (empty when public) and servers', async () => {
    const doc = await openapi();
    expect(doc.servers).toEqual([{ url: 'http://127.0.0.1:8787' }]);
    const ids = ops(doc).map(({ op }) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { op } of ops(doc)) expect(Array.isArray(op.security)).toBe(true);
    const pub = ops(doc)
      .filter(({ op }) => op.security!.length === 0)
      .map(({ op }) => op.operationId);
    expect(pub.sort()).toEqual(
      [
        'adkListApps',
        'getBlob',
        'headBlob',
        'getHealth',
        'getOpenApi',
        'getRegisterPage',
        'getSharePage',
        // The share id (and the verification token) is the key to these, as to the share page.
        'getSharePoster',
        'getShareVideo',
        'headSharePoster',
        'headShareVideo',
        'verifyEmail',
        'mintAnonymousToken',
        'putBlob',
        'registerEmail',
        'tusOptions',
      ].sort(),
    );
  });

  it('declares headers, body types and statuses as the routes use them', async () => {
    const doc = await openapi();
    const p = doc.paths;
    const tus = '/api/upload-video/nemo_agent/me/{sid}/tus';
    expect(p['/api/auth/anonymous-token']!.post!.parameters).toContainEqual(
      expect.objectContaining({ name: 'X-Client-Id', in: 'header', required: true }),
    );
    const upload = p['/api/upload-video/nemo_agent/me/{sid}']!.post!.requestBody!.content;
    expect(Object.keys(upload).sort()).toEqual(['application/json', 'multipart/form-data']);
    expect(upload['multipart/form-data']!.schema).toMatchObject({ properties: { file: { format: 'binary' } } });
    const raw = p['/api/upload-video/nemo_agent/me/{sid}/raw']!.put!;
    expect(raw.parameters).toContainEqual(expect.objectContaining({ name: 'X-File-Name', in: 'header' }));
    expect(raw.requestBody!.content['application/octet-stream']!.schema).toMatchObject({ format: 'binary' });
    expect(Object.keys(p[tus]!.post!.responses)).toEqual(['201', 'default']);
    expect(p[tus]!.post!.responses['201']!.headers).toHaveProperty('Location');
    expect(p[tus]!.post!.parameters.map((x) => x.name)).toEqual(
      expect.arrayContaining(['Tus-Resumable', 'Upload-Length', 'Upload-Metadata']),
    );
    const patch = p[`${tus}/{upload_id}`]!.patch!;
    expect(Object.keys(patch.responses)).toEqual(['204', 'default']);
    expect(patch.responses['204']!.content).toBeUndefined();
    expect(Object.keys(patch.requestBody!.content)).toEqual(['application/offset+octet-stream']);
    expect(Object.keys(p[`${tus}/{upload_id}`]!.delete!.responses)).toEqual(['204', 'default']);
    expect(p['/api/blob/{key}']!.get!.responses['200']!.content).toEqual({
      'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
    });
    expect(p['/run_sse']!.post!.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key' }));
    // ADK answers are bare, not enveloped.
    expect(p['/list-apps']!.get!.responses['200']!.content!['application/json']!.schema).toMatchObject({
      type: 'array',
    });
  });

  it('types the data of state, sessions, ledger and health: real answers parse with the published schemas', async () => {
    const doc = await openapi();
    const data = (path: string, m = 'get') =>
      (doc.paths[path]![m]!.responses['200']!.content!['application/json']!.schema as { properties: { data: object } })
        .properties.data;
    expect(JSON.stringify(data('/api/state/nemo_agent/me/{sid}/latest'))).toContain('draft_version');
    expect(JSON.stringify(data('/api/credits/ledger'))).toContain('refund');
    expect(JSON.stringify(data('/api/render/proxy/lambda/{render_id}'))).toContain('share_url');
    // The webhook body is the same render-status schema (src/render/status-schema.ts) under `data`.
    const hook = doc.webhooks.renderFinished!.post!;
    const hookBody = hook.requestBody!.content['application/json']!.schema as {
      properties: { event: object; data: object };
    };
    expect({ anyOf: [hookBody.properties.data, { type: 'null' }] }).toEqual(
      data('/api/render/proxy/lambda/{render_id}'),
    );
    expect(hookBody.properties.event).toMatchObject({ enum: ['render.done', 'render.failed'] });
    expect(hook.parameters.map((x) => x.name)).toEqual(['X-Signature', 'X-Render-Id']);

    const u = await userWithSession();
    await addClip(u.user_id, u.session_id, 'med_oas01', 'hash_oas_01');
    await events(await runSse(u.token, { session_id: u.session_id, new_message: message('make it 9:16') }));
    await conforms(StateData, await call(`/api/state/nemo_agent/me/${u.session_id}/latest`, { token: u.token }));
    await conforms(SessionListData, await call('/api/sessions', { token: u.token }));
    await conforms(LedgerData, await call('/api/credits/ledger', { token: u.token }));
    await conforms(HealthData, await call('/health'));
  });
});
