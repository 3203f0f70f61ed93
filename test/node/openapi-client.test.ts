/**
 * issue 12: a client generated from GET /openapi.json must work. Against the stack `npm start`
 * runs (Worker under wrangler dev, media engine): generate TypeScript types from the served
 * document with openapi-typescript, type-check openapi-client/flow.ts (written only against
 * those types and openapi-fetch) and a deliberately wrong use, then run the flow for real.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import openapiTS from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip } from './render-fixture.ts';
import { REPO_ROOT, type Stack, startStack } from './stack.ts';

const exec = promisify(execFile);
const DIR = join(REPO_ROOT, 'test/node/openapi-client');
const GENERATED = join(DIR, 'generated');
const TSC = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');

/** tsc on a project; resolves with its output and whether it passed. */
async function typeCheck(project: string): Promise<{ ok: boolean; output: string }> {
  try {
    await exec(process.execPath, [TSC, '--noEmit', '-p', project]);
    return { ok: true, output: '' };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
  rmSync(join(GENERATED, 'wrong.ts'), { force: true });
});

describe('a client generated from /openapi.json', () => {
  it('type-checks token → session → upload → run → state → render → poll (and multipart, tus), refuses a wrong use, and runs it', async () => {
    const doc = await (await fetch(`${stack.baseUrl}/openapi.json`)).json();
    const types = await openapiTS(doc, {
      // Binary bodies and answers are bytes: a Blob in a browser, a Uint8Array in Node.
      transform: (schema) => (schema.format === 'binary' ? 'Blob | Uint8Array' : undefined),
    });
    // Git-ignored, so a clean clone has no such folder until the first run makes it.
    mkdirSync(GENERATED, { recursive: true });
    writeFileSync(join(GENERATED, 'openedit-api.ts'), types);
    expect(types).toContain('"X-Client-Id": string');
    expect(types).toContain('draft_version: number');

    const checked = await typeCheck(DIR);
    expect(checked.output).toBe('');
    expect(checked.ok).toBe(true);

    // The types bite: a missing required header and a field the state does not have are errors.
    writeFileSync(
      join(GENERATED, 'wrong.ts'),
      `import createClient from 'openapi-fetch';
import type { paths } from './openedit-api.ts';
const client = createClient<paths>({ baseUrl: 'http://x' });
export const a = client.POST('/api/auth/anonymous-token', {});
export const b = (await client.GET('/api/state/nemo_agent/me/{sid}/latest', { params: { path: { sid: 's' } } })).data?.data?.draft_revision;
`,
    );
    const wrong = await typeCheck(DIR);
    rmSync(join(GENERATED, 'wrong.ts'));
    expect(wrong.ok).toBe(false);
    expect(wrong.output).toMatch(/wrong\.ts\(4,.*X-Client-Id|wrong\.ts\(4,.*params/s);
    expect(wrong.output).toMatch(/wrong\.ts\(5,.*draft_revision/);

    // A specifier tsc does not follow: flow.ts needs the types this test generates, so `npm run
    // check` on a clean clone (before any test ran) must not type-check it; the test above did.
    const flowModule = './openapi-client/flow.ts';
    const { runFlow, uploadOtherWays } = (await import(flowModule)) as {
      runFlow: (
        baseUrl: string,
        clip: Uint8Array,
      ) => Promise<Record<string, unknown> & { userId: string; mediaId: string; render: { url?: string } }>;
      uploadOtherWays: (...args: unknown[]) => Promise<Record<string, unknown>>;
    };
    const clip = new Uint8Array(readFileSync(await makeClip()));
    const result = await runFlow(stack.baseUrl, clip);
    expect(result.userId).toMatch(/^u_[0-9a-f]{24}$/);
    expect(result.mediaId).toMatch(/^med_/);
    expect(result.finalText).toMatch(/Timeline/);
    expect(result.draftVersion).toBe(1);
    expect(result.size).toEqual({ w: 1080, h: 1080 });
    expect(result.render).toMatchObject({ status: 'done', url: expect.stringMatching(/^http/) });
    const mp4 = await fetch(result.render.url!);
    expect(mp4.status).toBe(200);
    expect(new Uint8Array(await mp4.arrayBuffer()).subarray(4, 8)).toEqual(new TextEncoder().encode('ftyp'));

    // Multipart and tus through the same types: FormData from {file}, tus 201 then 204s.
    const other = await uploadOtherWays(stack.baseUrl, clip);
    expect(other.multipart).toMatch(/^med_/);
    expect(other.tus).toMatch(/^med_/);
  });
});
