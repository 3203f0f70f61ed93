/**
 * Issue 11, item 3 (errors): what users read about a failing engine names no internals: not the
 * engine's address, not the network error, not a class name. Those go to the operator's log.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { analyseMedia } from '../../src/agent/analysis.ts';
import { EngineUnavailable } from '../../src/lib/engine-client.ts';
import { getEngineJob, startEngineRender } from '../../src/render/engine-jobs.ts';

const ENGINE = 'http://127.0.0.1:9'; // nothing listens on the discard port: the fetch fails at once
/** The error a call rejects with (the test fails on the assertions if it resolves). */
const failure = (p: Promise<unknown>) =>
  p.then(
    () => new Error('resolved'),
    (e: unknown) => e as Error,
  );
const leaks = /127\.0\.0\.1|:9\b|fetch failed|TypeError|ECONNREFUSED|Error:/;

describe('engine failures as users see them', () => {
  it('analysis: "not reachable", without the address or the network error', async () => {
    const err = await failure(
      analyseMedia(
        { ...env, ENGINE_URL: ENGINE },
        'http://127.0.0.1:8787',
        { media_id: 'med_e1', name: 'talk.mp4', r2_key: 'u/x/talk.mp4', content_hash: 'hash_errors_01' },
        'en',
      ),
    );
    expect(err.message).toMatch(/not reachable/);
    expect(err.message).not.toMatch(leaks);
  });

  it('render steps: EngineUnavailable says only that the engine did not answer', async () => {
    for (const call of [
      () => getEngineJob({ ...env, ENGINE_URL: ENGINE }, { engine: ENGINE, jobId: 'job_1' }),
      () =>
        startEngineRender(
          { ...env, ENGINE_URL: ENGINE },
          {
            draft: { v: 1, w: 16, h: 16, fps: 30, d: 1000, t: [] },
            inputs: {},
            output: { url: 'http://127.0.0.1:8787/api/blob/x' },
          },
        ),
    ]) {
      const err = await failure(call());
      expect(err).toBeInstanceOf(EngineUnavailable);
      expect(err.message).toBe('the media engine did not answer');
    }
  });
});
