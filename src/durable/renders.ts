import * as credits from './credits.ts';
import { getSession } from './sessions.ts';

/**
 * Render rows of one user. The row is the render's source of truth: the route creates it (and
 * freezes the cost) in one transaction, the RenderWorkflow moves it forward through RPC, and
 * the poll endpoint reads it. Render ids are the client's idempotency keys, unique per user.
 */
export type RenderStatus = 'queued' | 'rendering' | 'done' | 'failed';

/** How long a finished render (its file, download URLs and share link) stays available. */
export const RENDER_TTL_MS = 7 * 24 * 3600 * 1000;

export interface RenderOutputSpec {
  format: 'mp4';
  quality: 'low' | 'medium' | 'high';
}

export interface RenderRecord {
  render_id: string;
  session_id: string;
  status: RenderStatus;
  progress: number;
  draft: string;
  output: RenderOutputSpec;
  cost: number;
  webhook_url: string | null;
  job_id: string | null;
  engine_attempt: number;
  error: string | null;
  out_key: string | null;
  srt_key: string | null;
  vtt_key: string | null;
  poster_key: string | null;
  size: number | null;
  duration_ms: number | null;
  width: number;
  height: number;
  title: string;
  share_id: string | null;
  created_at: number;
  updated_at: number;
  done_at: number | null;
  expires_at: number | null;
}

type Row = Omit<RenderRecord, 'render_id' | 'output'> & { id: string; output: string };
const toRecord = ({ id, output, ...rest }: Row): RenderRecord => ({
  render_id: id,
  output: JSON.parse(output),
  ...rest,
});

export function getRender(sql: SqlStorage, renderId: string): RenderRecord | null {
  const row = sql.exec('SELECT * FROM renders WHERE id = ?', renderId).toArray()[0] as Row | undefined;
  return row ? toRecord(row) : null;
}

export interface NewRender {
  renderId: string;
  sessionId: string;
  draftJson: string;
  output: RenderOutputSpec;
  cost: number;
  width: number;
  height: number;
  title: string;
  webhookUrl: string | null;
  bindUrl: string | null;
}

/**
 * Create-or-get plus freeze, meant to run inside one storage transaction: concurrent POSTs with
 * the same id are serialised by the Durable Object, so exactly one row and one freeze exist.
 * Not enough credits throws 2001 and rolls the row back with it.
 */
export function createOrGetRender(
  sql: SqlStorage,
  r: NewRender,
  nowMs: number,
): { render: RenderRecord; created: boolean } {
  const existing = getRender(sql, r.renderId);
  if (existing) return { render: existing, created: false };
  getSession(sql, r.sessionId);
  credits.freeze(sql, r.renderId, r.cost, `render ${r.renderId}`, nowMs, r.bindUrl);
  sql.exec(
    `INSERT INTO renders (id, session_id, status, progress, draft, output, cost, webhook_url, width, height, title, created_at, updated_at)
     VALUES (?, ?, 'queued', 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    r.renderId,
    r.sessionId,
    r.draftJson,
    JSON.stringify(r.output),
    r.cost,
    r.webhookUrl,
    r.width,
    r.height,
    r.title,
    nowMs,
    nowMs,
  );
  return { render: getRender(sql, r.renderId)!, created: true };
}

/** An unfinished render untouched this long has lost its workflow (polls touch it every few seconds). */
export const STALE_RENDER_MS = 6 * 3600_000;

export function staleRenders(sql: SqlStorage, nowMs: number, limit = 20): string[] {
  return sql
    .exec(
      "SELECT id FROM renders WHERE status IN ('queued', 'rendering') AND updated_at < ? ORDER BY updated_at LIMIT ?",
      nowMs - STALE_RENDER_MS,
      limit,
    )
    .toArray()
    .map((r) => r.id as string);
}

/** When the oldest unfinished render would turn stale (null: none open). */
export function nextStaleCheck(sql: SqlStorage): number | null {
  const row = sql.exec("SELECT MIN(updated_at) AS t FROM renders WHERE status IN ('queued', 'rendering')").one() as {
    t: number | null;
  };
  return row.t === null ? null : row.t + STALE_RENDER_MS;
}

/** Remembers the engine job of an attempt, so a retried 'start engine job' step reuses it. */
export function setRenderJob(sql: SqlStorage, renderId: string, attempt: number, jobId: string, nowMs: number): void {
  sql.exec(
    "UPDATE renders SET job_id = ?, engine_attempt = ?, status = 'rendering', updated_at = ? WHERE id = ? AND status IN ('queued', 'rendering')",
    jobId,
    attempt,
    nowMs,
    renderId,
  );
}

/**
 * Progress only moves forward (a replayed workflow re-reports older values). Returns the
 * render's status, so the workflow learns of a cancellation at its next poll.
 */
export function noteProgress(sql: SqlStorage, renderId: string, progress: number, nowMs: number): RenderStatus | null {
  const p = Math.min(0.99, Math.max(0, progress));
  sql.exec(
    "UPDATE renders SET progress = MAX(progress, ?), status = 'rendering', updated_at = ? WHERE id = ? AND status IN ('queued', 'rendering')",
    p,
    nowMs,
    renderId,
  );
  return getRender(sql, renderId)?.status ?? null;
}

export interface RenderOutput {
  outKey: string;
  srtKey: string | null;
  vttKey: string | null;
  posterKey: string | null;
  size: number;
  durationMs: number | null;
  shareId: string;
}

/** Records the verified output once; a retried step keeps the first share id. */
export function recordOutput(sql: SqlStorage, renderId: string, o: RenderOutput, nowMs: number): RenderRecord | null {
  sql.exec(
    `UPDATE renders SET out_key = ?, srt_key = ?, vtt_key = ?, poster_key = ?, size = ?, duration_ms = ?, share_id = COALESCE(share_id, ?),
       updated_at = ? WHERE id = ?`,
    o.outKey,
    o.srtKey,
    o.vttKey,
    o.posterKey,
    o.size,
    o.durationMs,
    o.shareId,
    nowMs,
    renderId,
  );
  return getRender(sql, renderId);
}

/** Final state; idempotent (a finished render keeps its first verdict). */
export function finishRender(
  sql: SqlStorage,
  renderId: string,
  status: 'done' | 'failed',
  error: string | null,
  nowMs: number,
) {
  sql.exec(
    `UPDATE renders SET status = ?, error = ?, progress = CASE WHEN ? = 'done' THEN 1 ELSE progress END,
       done_at = ?, expires_at = CASE WHEN ? = 'done' THEN ? ELSE NULL END, updated_at = ?
     WHERE id = ? AND status IN ('queued', 'rendering')`,
    status,
    error,
    status,
    nowMs,
    status,
    nowMs + RENDER_TTL_MS,
    nowMs,
    renderId,
  );
  return getRender(sql, renderId);
}

export function listSessionRenders(sql: SqlStorage, sessionId: string, status?: RenderStatus): RenderRecord[] {
  const rows = (status
    ? sql.exec('SELECT * FROM renders WHERE session_id = ? AND status = ? ORDER BY created_at', sessionId, status)
    : sql.exec('SELECT * FROM renders WHERE session_id = ? ORDER BY created_at', sessionId)
  ).toArray() as unknown as Row[];
  return rows.map(toRecord);
}

export function getByShareId(sql: SqlStorage, shareId: string): RenderRecord | null {
  const row = sql.exec('SELECT * FROM renders WHERE share_id = ?', shareId).toArray()[0] as Row | undefined;
  return row ? toRecord(row) : null;
}

/**
 * Cancels an unfinished render: returns its credits and marks it failed, in one transaction. A
 * render whose credits were already spent (it finished meanwhile) is left alone.
 */
export function cancelRender(
  sql: SqlStorage,
  renderId: string,
  nowMs: number,
  reason = 'Cancelled by the user; credits returned',
) {
  const render = getRender(sql, renderId);
  if (!render || (render.status !== 'queued' && render.status !== 'rendering')) return { render, cancelled: false };
  if (!credits.settle(sql, renderId, 'refund', `render ${renderId}: ${reason}`, nowMs))
    return { render, cancelled: false };
  return {
    render: finishRender(sql, renderId, 'failed', reason, nowMs),
    cancelled: true,
  };
}
