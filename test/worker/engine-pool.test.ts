/**
 * The engine pool's pure parts (URL list, load scoring, tie-breaking, job refs) and what picking
 * does when engines are missing or dead. Live engines answering health checks are exercised in
 * test/node/engine-pool.test.ts (workerd tests cannot listen).
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  chooseLeastBusy,
  containerIndex,
  containerName,
  EngineUnavailable,
  engineFetch,
  engineIds,
  engineLoad,
  formatJobRef,
  hasEngine,
  parseEngineUrls,
  parseJobRef,
  pickEngine,
  pickWeight,
} from '../../src/lib/engine-client.ts';

const DEAD_A = 'http://127.0.0.1:9'; // the discard port: nothing listens, the fetch fails at once
const DEAD_B = 'http://127.0.0.1:1';
const failure = (p: Promise<unknown>) =>
  p.then(
    () => new Error('resolved'),
    (e: unknown) => e as Error,
  );

describe('engine URL list', () => {
  it('ENGINE_URLS wins over ENGINE_URL; trimmed, trailing slashes dropped, duplicates once', () => {
    expect(parseEngineUrls(' http://a:1/ , http://b:2,,http://a:1 ', 'http://c:3')).toEqual([
      'http://a:1',
      'http://b:2',
    ]);
    expect(parseEngineUrls('', 'http://c:3/')).toEqual(['http://c:3']);
    expect(parseEngineUrls(' , ', '')).toEqual([]);
    expect(parseEngineUrls(undefined, undefined)).toEqual([]);
  });

  it('engineIds and hasEngine read the environment', () => {
    expect(engineIds({ ...env, ENGINE_URLS: 'http://a:1,http://b:2', ENGINE_URL: 'http://c:3' })).toEqual([
      'http://a:1',
      'http://b:2',
    ]);
    expect(hasEngine({ ...env, ENGINE_URLS: '', ENGINE_URL: '' })).toBe(false);
    expect(hasEngine({ ...env, ENGINE_URLS: '', ENGINE_URL: 'http://c:3' })).toBe(true);
  });
});

describe('engine containers (production)', () => {
  it('ENGINE_CONTAINERS > 0 with the binding makes the pool container:0..N-1, ahead of any URL', () => {
    const prod = { ...env, ENGINE_CONTAINERS: '3', ENGINE_URLS: 'http://a:1', ENGINE_URL: 'http://c:3' };
    expect(engineIds(prod)).toEqual(['container:0', 'container:1', 'container:2']);
    expect(engineIds({ ...env, ENGINE_CONTAINERS: '0', ENGINE_URL: 'http://c:3' })).toEqual(['http://c:3']);
    expect(engineIds({ ...env, ENGINE_CONTAINERS: 'x', ENGINE_URLS: '', ENGINE_URL: '' })).toEqual([]);
  });

  it('a container id names its instance; a URL is not a container', () => {
    expect(containerIndex('container:2')).toBe(2);
    expect(containerName(2)).toBe('engine-2');
    expect(containerIndex('container:-1')).toBeNull();
    expect(containerIndex('http://127.0.0.1:8788')).toBeNull();
  });
});

describe('load scoring', () => {
  const health = (r: [number, number, number], a: [number, number, number]) => ({
    ok: true,
    renders: { max: r[0], running: r[1], queued: r[2] },
    // The engine lists queued analyses (content hashes and positions), renders only as counts.
    analyses: {
      max: a[0],
      running: a[1],
      queued: Array.from({ length: a[2] }, (_, i) => ({ content_hash: `h${i}`, position: i + 1 })),
    },
  });

  it('is (running+queued)/max for renders plus the same for analyses', () => {
    expect(engineLoad(health([1, 0, 0], [1, 0, 0]))).toBe(0);
    expect(engineLoad(health([1, 1, 2], [1, 0, 0]))).toBe(3);
    expect(engineLoad(health([2, 1, 0], [4, 1, 1]))).toBe(1);
  });

  it('an engine from before the render counts (no renders field) scores its analyses only', () => {
    expect(engineLoad({ ok: true, analyses: { max: 1, running: 1, queued: [] } })).toBe(1);
  });

  it('anything but an engine health answer is unhealthy (null)', () => {
    expect(engineLoad(null)).toBeNull();
    expect(engineLoad({ status: 'ok' })).toBeNull();
    expect(engineLoad('ok')).toBeNull();
  });

  it('a pick adds one render slot until the next health answer', () => {
    expect(pickWeight({ ok: true, renders: { max: 2, running: 0, queued: 0 } })).toBe(0.5);
    expect(pickWeight({ ok: true })).toBe(1);
  });

  it('picks the least busy healthy engine; ties go round-robin', () => {
    const scored = [
      { engine: 'a', load: 1 },
      { engine: 'b', load: null },
      { engine: 'c', load: 0.5 },
      { engine: 'd', load: 0.5 },
    ];
    expect([0, 1, 2, 3].map((turn) => chooseLeastBusy(scored, turn))).toEqual(['c', 'd', 'c', 'd']);
    expect(chooseLeastBusy([{ engine: 'b', load: null }], 0)).toBeNull();
    expect(chooseLeastBusy([], 5)).toBeNull();
  });
});

describe('job refs', () => {
  const pool = { ...env, ENGINE_URLS: 'http://a:1,http://b:2' };

  it('name the engine a job lives on, and read back the same', () => {
    const ref = { engine: 'http://b:2', jobId: 'job_0f1e' };
    expect(formatJobRef(ref)).toBe('job_0f1e@http://b:2');
    expect(parseJobRef(formatJobRef(ref), pool)).toEqual(ref);
    expect(parseJobRef(formatJobRef({ engine: 'container:3', jobId: 'job_9' }), pool)).toEqual({
      engine: 'container:3',
      jobId: 'job_9',
    });
  });

  it('a bare job id (a row from before the pool) lives on the first engine', () => {
    expect(parseJobRef('job_old', pool)).toEqual({ engine: 'http://a:1', jobId: 'job_old' });
    expect(parseJobRef('job_old', { ...env, ENGINE_URLS: '', ENGINE_URL: '' })).toEqual({
      engine: '',
      jobId: 'job_old',
    });
  });
});

describe('picking without live engines', () => {
  it('none configured: EngineUnavailable naming the settings', async () => {
    const err = await failure(pickEngine({ ...env, ENGINE_URLS: '', ENGINE_URL: '' }));
    expect(err).toBeInstanceOf(EngineUnavailable);
    expect(err.message).toMatch(/ENGINE_URLS and ENGINE_URL are empty/);
  });

  it('one engine: returned without a health check, even when it is down', async () => {
    expect(await pickEngine({ ...env, ENGINE_URLS: DEAD_A })).toBe(DEAD_A);
  });

  it('every engine failing its health check: EngineUnavailable, no address in the message', async () => {
    const err = await failure(pickEngine({ ...env, ENGINE_URLS: `${DEAD_A},${DEAD_B}` }));
    expect(err).toBeInstanceOf(EngineUnavailable);
    expect(err.message).toBe('no media engine answered its health check');
  });

  it('excluding the only engine leaves none', async () => {
    const err = await failure(pickEngine({ ...env, ENGINE_URLS: DEAD_A }, { exclude: [DEAD_A] }));
    expect(err).toBeInstanceOf(EngineUnavailable);
  });

  it('engineFetch refuses an engine that is not in the pool (a stale job ref), before any request', async () => {
    const err = await failure(
      engineFetch({ ...env, ENGINE_URLS: DEAD_A }, '/jobs/job_1', { engine: 'http://10.9.9.9:8788', timeoutMs: 1000 }),
    );
    expect(err).toBeInstanceOf(EngineUnavailable);
    expect(err.message).not.toMatch(/10\.9\.9\.9/);
  });
});
