/** `npm start` (scripts/start.mjs): both services healthy with one command, and Ctrl-C leaves nothing behind. */
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './stack.ts';

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Killed processes linger briefly until reaped: give the group a moment, then show what is left. */
async function leftInGroup(pgid: number): Promise<string> {
  const deadline = Date.now() + 3000;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (!groupAlive(pgid)) return '';
  try {
    return execFileSync('ps', ['-o', 'pid,stat,args', '-g', String(pgid)], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

describe('npm start', () => {
  let stack: Stack | undefined;
  afterAll(async () => {
    await stack?.stop();
  });

  it('starts the Worker and the engine, and stops both process trees on Ctrl-C', { timeout: 180_000 }, async () => {
    stack = await startStack();
    const health = (await (await fetch(`${stack.baseUrl}/health`)).json()) as {
      code: number;
      data: { engine: string };
    };
    expect(health.code).toBe(0);
    expect(health.data.engine, 'the Worker should reach the engine it was started with').toBe('ok');
    expect((await fetch(`${stack.engineUrl}/health`)).ok).toBe(true);
    expect(stack.logs()).toContain(`OpenEdit is running at ${stack.baseUrl}`);
    expect(stack.childPids).toHaveLength(2);

    process.kill(stack.pid, 'SIGINT');
    expect(await stack.exited, 'start.mjs should exit 0 after Ctrl-C').toBe(0);
    for (const pgid of stack.childPids)
      expect(await leftInGroup(pgid), `process group ${pgid} should be gone`).toBe('');
    await expect(fetch(`${stack.baseUrl}/health`)).rejects.toThrow();
  });
});
