/**
 * Renders always settle. The stale sweep (cleanup.ts) returns the credits of renders whose
 * workflow is gone; this one also covers a workflow that still says "running" but is not getting
 * anywhere (a stack restarted mid-render, an engine that died for good): past its deadline a
 * render is failed with its credits returned and its workflow instance terminated, whatever the
 * workflow claims. The deadline is generous: three engine attempts at the render's own timeout.
 */

import { renderTimeoutMs } from '../lib/render-timeout.ts';
import { renderInstanceId } from '../lib/storage-keys.ts';
import { cancelRender } from './renders.ts';

const GRACE_MS = 30 * 60_000;

export const renderDeadlineMs = (draftMs: number) => 3 * renderTimeoutMs(draftMs) + GRACE_MS;

interface OpenRender {
  id: string;
  created_at: number;
  d: number | null;
}

function openRenders(sql: SqlStorage): OpenRender[] {
  return sql
    .exec("SELECT id, created_at, json_extract(draft, '$.d') AS d FROM renders WHERE status IN ('queued', 'rendering')")
    .toArray() as unknown as OpenRender[];
}

const dueAt = (r: OpenRender) => r.created_at + renderDeadlineMs(Number(r.d) || 0);

/** Fails (and refunds) every open render past its deadline; returns how many, and when to look again. */
export async function sweepOverdueRenders(
  storage: DurableObjectStorage,
  workflow: Workflow,
  userId: string,
  nowMs: number,
): Promise<{ failed: number; nextCheckMs: number | null }> {
  const sql = storage.sql;
  let failed = 0;
  for (const r of openRenders(sql).filter((o) => dueAt(o) <= nowMs)) {
    const minutes = Math.round((nowMs - r.created_at) / 60_000);
    const reason = `The render did not finish within its deadline (${minutes} min since it started); credits returned`;
    if (storage.transactionSync(() => cancelRender(sql, r.id, nowMs, reason).cancelled)) failed++;
    // Stop the workflow too, so it cannot finish later and report a render that was already settled.
    const instance = await workflow.get(await renderInstanceId(userId, r.id)).catch(() => null);
    await instance?.terminate().catch(() => undefined);
  }
  const next = openRenders(sql).map(dueAt);
  return { failed, nextCheckMs: next.length ? Math.min(...next) : null };
}
