import { describe, expect, it } from 'vitest';
import { ENGINE_IDLE_STOP_MS, idleStop } from '../../src/engine-container/engine-container.ts';

/** An engine's /health body (engine/src/app.ts) with the given queue figures. */
const health = (renders: [number, number], analyses: [number, number]) => ({
  ok: true,
  renders: { max: 2, running: renders[0], queued: renders[1] },
  analyses: {
    max: 1,
    running: analyses[0],
    queued: Array.from({ length: analyses[1] }, (_, i) => ({ content_hash: `h${i}`, position: i + 1 })),
  },
});

describe('EngineContainer idle stop (health checks must not keep an idle engine awake)', () => {
  const now = 1_800_000_000_000;

  it('stops an engine idle for the idle time with nothing running or queued', () => {
    expect(idleStop(health([0, 0], [0, 0]), now - ENGINE_IDLE_STOP_MS, now)).toBe(true);
    expect(idleStop(health([0, 0], [0, 0]), now - 3 * ENGINE_IDLE_STOP_MS, now)).toBe(true);
  });

  it('keeps an engine whose last work is recent, however idle it says it is', () => {
    expect(idleStop(health([0, 0], [0, 0]), now - ENGINE_IDLE_STOP_MS + 1000, now)).toBe(false);
  });

  it('keeps an engine with a render or an analysis running or waiting, even without recent requests', () => {
    const old = now - 5 * ENGINE_IDLE_STOP_MS;
    expect(idleStop(health([1, 0], [0, 0]), old, now)).toBe(false);
    expect(idleStop(health([0, 1], [0, 0]), old, now)).toBe(false);
    expect(idleStop(health([0, 0], [1, 0]), old, now)).toBe(false);
    expect(idleStop(health([0, 0], [0, 2]), old, now)).toBe(false);
  });

  it('keeps an engine whose health it cannot read', () => {
    const old = now - 5 * ENGINE_IDLE_STOP_MS;
    expect(idleStop(null, old, now)).toBe(false);
    expect(idleStop({ ok: false }, old, now)).toBe(false);
    expect(idleStop('not json', old, now)).toBe(false);
  });
});
