/** Shared set-up for engine tests: a temp dir, a file server over it, and the engine app on a config. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { signEngineRequest } from '../../src/lib/engine-auth.ts';
import { createApp, type EngineDeps } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { EngineAuth } from '../src/http/auth.ts';
import { type FileServer, startFileServer } from './file-server.ts';

export interface Fixture {
  dir: string;
  files: FileServer;
  app: ReturnType<typeof createApp>;
  /** The engine's auth config: the secret the test signs with and the file server as the Worker origin. */
  auth: EngineAuth;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON responses
  call(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  close(): Promise<void>;
}

export const TEST_ENGINE_SECRET = 'engine-test-secret-0123456789abcdef0123456789';

export async function setUp(env: Record<string, string> = {}, deps: Omit<EngineDeps, 'auth'> = {}): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'engine-test-'));
  const files = await startFileServer(dir);
  const cfg = loadConfig({ ENGINE_CACHE_DIR: join(dir, 'cache'), ...env });
  const auth = { secret: TEST_ENGINE_SECRET, workerOrigin: files.origin };
  const app = createApp(cfg, { ...deps, auth });
  return {
    dir,
    files,
    app,
    auth,
    // Signed like the Worker signs (src/lib/engine-client.ts), so every test also exercises the guard.
    async call(method, path, body) {
      const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
      const signed = await signEngineRequest(TEST_ENGINE_SECRET, method, path, text);
      const res = await app.request(path, {
        method,
        headers: body === undefined ? signed : { ...signed, 'content-type': 'application/json' },
        body: body === undefined ? undefined : text,
      });
      return { status: res.status, json: await res.json() };
    },
    async close() {
      await files.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls a render job until it finishes. */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON responses
export async function waitForJob(fx: Fixture, jobId: string, timeoutMs = 90_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { json } = await fx.call('GET', `/jobs/${jobId}`);
    if (['done', 'failed', 'cancelled'].includes(json.status)) return json;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${json.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** POSTs a render, waits for it to finish as `done`, and saves the MP4 the engine PUT as `<name>.out.mp4`. */
export async function renderToFile(fx: Fixture, body: Record<string, unknown>, name: string) {
  const start = await fx.call('POST', '/render', body);
  expect(start.status, JSON.stringify(start.json)).toBe(202);
  const job = await waitForJob(fx, start.json.job_id);
  expect(job.status, job.error).toBe('done');
  const path = join(fx.dir, `${name}.out.mp4`);
  await writeFile(path, fx.files.puts.get(`/${name}.mp4`)!);
  return { job, path };
}
