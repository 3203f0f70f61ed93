/**
 * Issue 11 (renders settle): the engine killed mid-render under `npm start`. The stack stays up,
 * start.mjs restarts the engine (same key, so it still accepts the Worker's signed requests), and
 * the render that was running finishes: the workflow sees its job gone and starts it again. The
 * credits are spent exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, renderClip } from './render-fixture.ts';
import { type Stack, startStack } from './stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const enginePid = () => Number([...stack.logs().matchAll(/\[start\] engine pid (\d+)/g)].at(-1)?.[1]);

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline)
      throw new Error(`${what} did not happen within ${timeoutMs} ms\n${stack.logs().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('engine killed mid-render', () => {
  it('restarts the engine, keeps the Worker up, and the render still finishes, charged once', async () => {
    const first = enginePid();
    expect(first).toBeGreaterThan(0);
    const r = await renderClip(stack.baseUrl, {
      timeoutMs: 150_000,
      afterStart: async () => {
        process.kill(-first, 'SIGKILL'); // the whole engine process group, ffmpeg included
        await until('engine restart', async () => enginePid() !== first);
        // The Worker never went down.
        expect((await fetch(`${stack.baseUrl}/health`)).ok).toBe(true);
      },
    });
    expect(r.status.status, r.status.error).toBe('done');
    expect(stack.logs()).toMatch(/engine exited \(SIGKILL\); restarting it/);
    await until('engine health', async () => (await fetch(`${stack.engineUrl}/health`)).ok);
    const ledger = await api<{ rows: { kind: string; ref: string; amount: number }[] }>(
      stack.baseUrl,
      '/api/credits/ledger',
      { token: r.token },
    );
    const moves = ledger.rows.filter((row) => row.ref === r.renderId).map((row) => row.kind);
    expect(moves.sort()).toEqual(['freeze', 'spend']);
  });
});
