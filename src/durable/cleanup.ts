/**
 * Data expiry of one user, run inside their Durable Object (alarm, cron, token minting).
 *
 * A user is live while any token is valid or expired less than PURGE_GRACE_MS ago. When the
 * grace has passed, their sessions, drafts, chat, media rows, renders and every R2 object under
 * `u/<userId>/` are deleted in bounded batches; the object re-arms its alarm until nothing is
 * left. The credits ledger and token rows stay (small, and they keep the books balanced).
 *
 * The cron never scans users: each object keeps one marker `index/cleanup/<due date>/<userId>`
 * in R2, so the cron only lists the markers of days that have come.
 */

import { renderInstanceId } from '../lib/storage-keys.ts';
import { sweepOverdueRenders } from './render-deadline.ts';
import { cancelRender, nextStaleCheck, staleRenders } from './renders.ts';
import { sweepStaleTusUploads, TUS_STALE_MS } from './tus-uploads.ts';

export const PURGE_GRACE_MS = 30 * 24 * 3600 * 1000;
export const PURGE_BATCH = 200;
/** Pause between purge batches, so one big user does not hog the object. */
export const PURGE_STEP_MS = 1000;
export const CLEANUP_INDEX_PREFIX = 'index/cleanup/';

const DATA_TABLES = ['renders', 'media', 'chat', 'drafts', 'sessions'] as const;

export type CleanupState = 'unknown' | 'live' | 'purging' | 'purged';

export interface CleanupResult {
  state: CleanupState;
  revoked: number;
  deletedObjects: number;
  deletedRows: number;
  /** The index marker this user now has (null when none). */
  indexKey: string | null;
  nextAlarmMs: number | null;
}

export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const indexKeyFor = (userId: string, dueMs: number) => `${CLEANUP_INDEX_PREFIX}${isoDay(dueMs)}/${userId}`;

const meta = (sql: SqlStorage, k: string) =>
  (sql.exec('SELECT v FROM meta WHERE k = ?', k).toArray()[0]?.v as string | undefined) ?? null;
const setMeta = (sql: SqlStorage, k: string, v: string | null) =>
  v === null
    ? sql.exec('DELETE FROM meta WHERE k = ?', k)
    : sql.exec('INSERT OR REPLACE INTO meta (k, v) VALUES (?, ?)', k, v);

/** Revokes expired tokens and says when this user's data becomes due (null: no tokens at all). */
export function expiryFacts(sql: SqlStorage, nowMs: number) {
  const revoked = sql.exec(
    'UPDATE tokens SET revoked_at = ? WHERE revoked_at IS NULL AND expires_at <= ?',
    nowMs,
    nowMs,
  ).rowsWritten;
  const row = sql
    .exec('SELECT MAX(expires_at) AS latest, MIN(CASE WHEN revoked_at IS NULL THEN expires_at END) AS next FROM tokens')
    .one() as { latest: number | null; next: number | null };
  return { revoked, dueMs: row.latest === null ? null : row.latest + PURGE_GRACE_MS, nextExpiryMs: row.next };
}

/** Deletes at most PURGE_BATCH rows per table; returns how many went and whether any remain. */
export function purgeRowsBatch(sql: SqlStorage): { deleted: number; more: boolean } {
  let deleted = 0;
  let more = false;
  for (const table of DATA_TABLES) {
    const n = sql.exec(
      `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} LIMIT ?)`,
      PURGE_BATCH,
    ).rowsWritten;
    deleted += n;
    if (n === PURGE_BATCH) more = true;
  }
  return { deleted, more };
}

/** Deletes the files of expired renders (a batch); the rows stay, so their share pages answer 410. */
export async function purgeExpiredRenders(storage: DurableObjectStorage, bucket: R2Bucket, nowMs: number) {
  const sql = storage.sql;
  const rows = sql
    .exec(
      'SELECT id, out_key, srt_key, vtt_key, poster_key FROM renders WHERE out_key IS NOT NULL AND expires_at <= ? LIMIT ?',
      nowMs,
      PURGE_BATCH,
    )
    .toArray() as {
    id: string;
    out_key: string;
    srt_key: string | null;
    vtt_key: string | null;
    poster_key: string | null;
  }[];
  const keys = rows
    .flatMap((r) => [r.out_key, r.srt_key, r.vtt_key, r.poster_key])
    .filter((k): k is string => k !== null);
  if (keys.length) await bucket.delete(keys);
  storage.transactionSync(() => {
    for (const r of rows)
      sql.exec(
        'UPDATE renders SET out_key = NULL, srt_key = NULL, vtt_key = NULL, poster_key = NULL WHERE id = ?',
        r.id,
      );
  });
  const next = sql
    .exec('SELECT MIN(expires_at) AS t FROM renders WHERE out_key IS NOT NULL AND expires_at > ?', nowMs)
    .one() as { t: number | null };
  return { objects: keys.length, more: rows.length === PURGE_BATCH, nextExpiryMs: next.t };
}

/**
 * Returns the credits of renders whose workflow is gone (errored, terminated, or never created
 * because the POST died halfway): "never leave credits frozen".
 */
export async function sweepStaleRenders(
  storage: DurableObjectStorage,
  workflow: Workflow,
  userId: string,
  nowMs: number,
) {
  const sql = storage.sql;
  let swept = 0;
  for (const renderId of staleRenders(sql, nowMs)) {
    const instanceId = await renderInstanceId(userId, renderId);
    const state = await workflow
      .get(instanceId)
      .then((i) => i.status())
      .catch(() => null);
    if (state && LIVE_WORKFLOW_STATES.has(state.status)) continue;
    const reason = 'The render stopped unexpectedly; credits returned';
    if (storage.transactionSync(() => cancelRender(sql, renderId, nowMs, reason).cancelled)) swept++;
  }
  return { swept, nextCheckMs: nextStaleCheck(sql) };
}
const LIVE_WORKFLOW_STATES = new Set<string>(['queued', 'running', 'paused', 'waiting', 'waitingForPause']);

/** One round of cleanup for this user; the caller re-arms the alarm at `nextAlarmMs`. */
export async function runUserCleanup(
  storage: DurableObjectStorage,
  bucket: R2Bucket,
  workflow: Workflow,
  nowMs: number,
): Promise<CleanupResult> {
  const sql = storage.sql;
  const userId = meta(sql, 'user_id');
  if (!userId)
    return { state: 'unknown', revoked: 0, deletedObjects: 0, deletedRows: 0, indexKey: null, nextAlarmMs: null };
  const facts = storage.transactionSync(() => expiryFacts(sql, nowMs));
  const oldKey = meta(sql, 'cleanup_index_key');
  if (facts.dueMs === null || facts.dueMs > nowMs) {
    // Live: keep one marker for the due day; delete expired render files; wake up at the next token
    // expiry, render expiry or the due time.
    const key = facts.dueMs === null ? null : indexKeyFor(userId, facts.dueMs);
    if (key !== oldKey) {
      if (key) await bucket.put(key, '', { customMetadata: { due_ms: String(facts.dueMs) } });
      if (oldKey) await bucket.delete(oldKey);
      setMeta(sql, 'cleanup_index_key', key);
    }
    const files = await purgeExpiredRenders(storage, bucket, nowMs);
    const stale = await sweepStaleRenders(storage, workflow, userId, nowMs);
    const overdue = await sweepOverdueRenders(storage, workflow, userId, nowMs);
    const tus = await sweepStaleTusUploads(storage, bucket, userId, nowMs, PURGE_BATCH);
    const next = files.more
      ? [nowMs + PURGE_STEP_MS]
      : [
          facts.nextExpiryMs,
          facts.dueMs,
          files.nextExpiryMs,
          stale.nextCheckMs,
          overdue.nextCheckMs,
          tus.nextCheckMs,
        ].filter((t): t is number => t !== null && t > nowMs);
    return {
      state: 'live',
      revoked: facts.revoked,
      deletedObjects: files.objects,
      deletedRows: 0,
      indexKey: key,
      nextAlarmMs: next.length ? Math.min(...next) : null,
    };
  }
  // Due: unfinished tus uploads first (their R2 multipart uploads are not listed as objects), then
  // objects (listing by prefix also finds objects whose rows are already gone).
  const tus = await sweepStaleTusUploads(storage, bucket, userId, nowMs + TUS_STALE_MS, PURGE_BATCH);
  const listed = await bucket.list({ prefix: `u/${userId}/`, limit: PURGE_BATCH });
  const keys = listed.objects.map((o) => o.key);
  if (keys.length) await bucket.delete(keys);
  const rows = storage.transactionSync(() => purgeRowsBatch(sql));
  if (listed.truncated || rows.more || tus.removed === PURGE_BATCH) {
    return {
      state: 'purging',
      revoked: facts.revoked,
      deletedObjects: keys.length,
      deletedRows: rows.deleted,
      indexKey: oldKey,
      nextAlarmMs: nowMs + PURGE_STEP_MS,
    };
  }
  if (oldKey) await bucket.delete(oldKey);
  storage.transactionSync(() => {
    setMeta(sql, 'cleanup_index_key', null);
    setMeta(sql, 'purged_at', String(nowMs));
  });
  return {
    state: 'purged',
    revoked: facts.revoked,
    deletedObjects: keys.length,
    deletedRows: rows.deleted,
    indexKey: null,
    nextAlarmMs: null,
  };
}
