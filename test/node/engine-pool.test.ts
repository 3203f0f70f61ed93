/**
 * The engine pool against real engines: `npm start` with ENGINE_INSTANCES=2 (two engines on
 * consecutive ports, the Worker given ENGINE_URLS). Two renders started together land on
 * different engines; the job ref the Worker stores names the engine whose log shows the job; an
 * engine that stops answering (SIGSTOP: it still accepts connections but never replies, the worst
 * kind of dead) is skipped by picking, and renders still finish on the other one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type RenderedClip, renderClip } from './render-fixture.ts';
import { type Stack, startStack } from './stack.ts';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ engineInstances: 2 });
});

afterAll(async () => {
  await stack?.stop();
});

const SMALL = { w: 320, h: 180 };

/** The Worker's "engine job started" lines: which render went to which engine. */
function jobsStarted(logs: string): Map<string, { engine: string; jobId: string }> {
  const out = new Map<string, { engine: string; jobId: string }>();
  for (const m of logs.matchAll(/\{"level":"info","msg":"engine job started"[^\n]*\}/g)) {
    const line = JSON.parse(m[0]) as { render_id: string; job: string };
    const at = line.job.indexOf('@');
    out.set(line.render_id, { jobId: line.job.slice(0, at), engine: line.job.slice(at + 1) });
  }
  return out;
}

/** Which engine (by its log prefix, engine-1 or engine-2) accepted a job. */
function engineThatAccepted(logs: string, jobId: string): string | null {
  const m = new RegExp(`^\\[(engine-\\d)\\] .*"msg":"render accepted","job_id":"${jobId}"`, 'm').exec(logs);
  return m ? m[1]! : null;
}

/** Until no engine runs or queues anything (the uploads' background analyses included). */
async function enginesIdle(): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const states = await Promise.all(
      stack.engineUrls.map(async (url) => {
        const h = (await (await fetch(`${url}/health`)).json()) as {
          renders: { running: number; queued: number };
          analyses: { running: number; queued: unknown[] };
        };
        return h.renders.running + h.renders.queued + h.analyses.running + h.analyses.queued.length;
      }),
    );
    if (states.every((n) => n === 0)) return;
    if (Date.now() > deadline) throw new Error(`engines still busy: ${states.join(', ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Resolves for everyone once `n` callers have arrived and the engines are idle. */
function barrier(n: number): () => Promise<void> {
  let arrived = 0;
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return async () => {
    if (++arrived === n) await enginesIdle().then(open);
    await opened;
  };
}

async function render(beforeRender?: () => Promise<void>): Promise<RenderedClip> {
  const r = await renderClip(stack.baseUrl, { size: SMALL, timeoutMs: 200_000, beforeRender });
  expect(r.status.error, stack.logs().slice(-3000)).toBeUndefined();
  expect(r.status.status).toBe('done');
  return r;
}

describe('engine pool (two local engines)', () => {
  it('the Worker health reports both engines healthy', async () => {
    expect(stack.engineUrls).toHaveLength(2);
    const health = await api<{ engine: string; engines: { configured: number; healthy: number } }>(
      stack.baseUrl,
      '/health',
    );
    expect(health).toMatchObject({ engine: 'ok', engines: { configured: 2, healthy: 2 } });
    for (const url of stack.engineUrls) {
      const h = (await (await fetch(`${url}/health`)).json()) as { renders: unknown };
      expect(h.renders).toEqual({ max: 1, running: 0, queued: 0 });
    }
  });

  it('two renders started together land on different engines, and each job ref names its engine', async () => {
    // Both uploaded and the engines idle first (each upload starts a background analysis on one of
    // them, which rightly makes that engine the busier one), then both renders asked for at once.
    const together = barrier(2);
    const [a, b] = await Promise.all([render(together), render(together)]);
    const started = jobsStarted(stack.logs());
    const refA = started.get(a.renderId);
    const refB = started.get(b.renderId);
    expect(refA, stack.logs().slice(-3000)).toBeDefined();
    expect(refB).toBeDefined();
    expect(new Set([refA!.engine, refB!.engine])).toEqual(new Set(stack.engineUrls));
    // The engine named in the ref is the one whose log shows the job.
    for (const ref of [refA!, refB!]) {
      const prefix = engineThatAccepted(stack.logs(), ref.jobId);
      expect(prefix).toBe(`engine-${stack.engineUrls.indexOf(ref.engine) + 1}`);
    }
  }, 300_000);

  it('an engine that stops answering is skipped: renders go to the other one and finish', async () => {
    // The ready line lists the process groups in start order: engine-1, engine-2, worker.
    const stoppedPid = stack.childPids[1]!;
    process.kill(-stoppedPid, 'SIGSTOP');
    try {
      // Health answers are reused for a second: let the last ones (both engines up) expire.
      await new Promise((r) => setTimeout(r, 1500));
      const health = await api<{ engine: string; engines: { configured: number; healthy: number } }>(
        stack.baseUrl,
        '/health',
      );
      expect(health).toMatchObject({ engine: 'ok', engines: { configured: 2, healthy: 1 } });
      const rendered = [await render(), await render()];
      const started = jobsStarted(stack.logs());
      for (const r of rendered) expect(started.get(r.renderId)?.engine).toBe(stack.engineUrls[0]);
      expect(stack.logs()).toContain('engine failed its health check: skipped');
    } finally {
      process.kill(-stoppedPid, 'SIGCONT');
    }
  }, 300_000);
});
