/**
 * How long one engine attempt at a render may take. On its own, so the deadline sweep (run from
 * the user's Durable Object) can use it without importing the workflow's pipeline.
 */

/** Generous: 2 min of start-up plus 6× real time, capped at 2 h. */
export const renderTimeoutMs = (durationMs: number) => Math.min(2 * 3600_000, 120_000 + 6 * durationMs);
