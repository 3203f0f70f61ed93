import type { ProbeResult } from '../lib/engine-protocol.ts';
import { AppError, ErrorCode } from '../lib/errors.ts';
import { addMedia, type MediaRecord, type NewMedia } from './media.ts';
import { getSession } from './sessions.ts';

/** An upload untouched this long is abandoned: the alarm aborts its R2 multipart upload and forgets it. */
export const TUS_STALE_MS = 24 * 3600_000;
/**
 * A PATCH holds the upload while it streams and refreshes its hold every TUS_HEARTBEAT_MS while
 * bytes arrive. A hold older than TUS_LOCK_STALE_MS belongs to a request that died or stalled
 * (a dropped connection the runtime has not noticed), and a new PATCH at the stored offset takes
 * over; the old request's next save then fails with 409.
 */
export const TUS_HEARTBEAT_MS = 10_000;
export const TUS_LOCK_STALE_MS = 30_000;
/** Open uploads per user: each one may hold an R2 multipart upload and a temporary object. */
export const MAX_OPEN_TUS_UPLOADS = 20;

export interface UploadedPart {
  partNumber: number;
  etag: string;
}

/**
 * One resumable upload. Invariant, kept by saving only whole states in one transaction: the
 * file's first `upload_offset` bytes are the `parts` (all PART_BYTES long) followed by the
 * temporary object `tail_key` (shorter than a part; null when empty).
 */
export interface TusUpload {
  id: string;
  session_id: string;
  name: string;
  length: number;
  upload_offset: number;
  media_id: string;
  r2_key: string;
  multipart_id: string | null;
  parts: UploadedPart[];
  tail_key: string | null;
  mime: string | null;
  kind: string | null;
  done_media_id: string | null;
  /** The creation's Upload-Metadata header as sent (HEAD repeats it). */
  metadata: string | null;
  created_at: number;
  updated_at: number;
}

/** What a PATCH writes back after each part and at its end. */
export type TusProgress = Pick<TusUpload, 'upload_offset' | 'multipart_id' | 'parts' | 'tail_key' | 'mime' | 'kind'>;

export type NewTusUpload = Pick<
  TusUpload,
  'id' | 'session_id' | 'name' | 'length' | 'media_id' | 'r2_key' | 'metadata'
>;

type Row = Omit<TusUpload, 'parts'> & { parts: string; lock_token: string | null; lock_at: number | null };

const toUpload = ({ parts, lock_token: _t, lock_at: _a, ...rest }: Row): TusUpload => ({
  ...rest,
  parts: JSON.parse(parts) as UploadedPart[],
});

export const uploadNotFound = () =>
  new AppError(ErrorCode.NOT_FOUND, 'Upload not found (finished long ago, removed or never created)');

function row(sql: SqlStorage, id: string): Row | null {
  return (sql.exec('SELECT * FROM tus_uploads WHERE id = ?', id).toArray()[0] as Row | undefined) ?? null;
}

/** The upload, checked to belong to this (existing) session. */
function owned(sql: SqlStorage, sessionId: string, id: string): Row {
  getSession(sql, sessionId);
  const r = row(sql, id);
  if (!r || r.session_id !== sessionId) throw uploadNotFound();
  return r;
}

export function createTusUpload(sql: SqlStorage, u: NewTusUpload, nowMs: number): TusUpload {
  getSession(sql, u.session_id);
  const open = sql.exec('SELECT COUNT(*) AS n FROM tus_uploads WHERE done_media_id IS NULL').one().n as number;
  if (open >= MAX_OPEN_TUS_UPLOADS)
    throw new AppError(
      ErrorCode.RATE_LIMITED,
      `At most ${MAX_OPEN_TUS_UPLOADS} unfinished uploads at a time: finish or DELETE one first`,
    );
  sql.exec(
    `INSERT INTO tus_uploads (id, session_id, name, length, media_id, r2_key, metadata, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    u.id,
    u.session_id,
    u.name,
    u.length,
    u.media_id,
    u.r2_key,
    u.metadata,
    nowMs,
    nowMs,
  );
  return toUpload(row(sql, u.id)!);
}

export function getTusUpload(sql: SqlStorage, sessionId: string, id: string): TusUpload {
  return toUpload(owned(sql, sessionId, id));
}

/**
 * Starts a PATCH: the offset check and taking the hold happen in one transaction, so of two
 * PATCHes sent at the same offset only one gets through; the other is a 409.
 */
export function beginTusPatch(
  sql: SqlStorage,
  sessionId: string,
  id: string,
  offset: number,
  lockToken: string,
  nowMs: number,
): TusUpload {
  const r = owned(sql, sessionId, id);
  const conflict = (why: string) => new AppError(ErrorCode.CONFLICT, why, { upload_offset: r.upload_offset });
  if (r.done_media_id) throw conflict('This upload is complete');
  if (r.upload_offset !== offset)
    throw conflict(`Upload-Offset ${offset} does not match the stored offset ${r.upload_offset}: HEAD, then resume`);
  if (r.lock_token && r.lock_at !== null && nowMs - r.lock_at < TUS_LOCK_STALE_MS)
    throw conflict('Another PATCH to this upload is in progress');
  sql.exec(
    'UPDATE tus_uploads SET lock_token = ?, lock_at = ?, updated_at = ? WHERE id = ?',
    lockToken,
    nowMs,
    nowMs,
    id,
  );
  return toUpload(r);
}

/** The PATCH that holds `lockToken`, or a 409 (taken over after a stall) / 404 (terminated meanwhile). */
function held(sql: SqlStorage, id: string, lockToken: string): Row {
  const r = row(sql, id);
  if (!r) throw uploadNotFound();
  if (r.lock_token !== lockToken)
    throw new AppError(ErrorCode.CONFLICT, 'Another PATCH took over this upload', { upload_offset: r.upload_offset });
  return r;
}

/** Keeps the hold of a PATCH that is still receiving bytes. */
export function touchTusLock(sql: SqlStorage, id: string, lockToken: string, nowMs: number): void {
  held(sql, id, lockToken);
  sql.exec('UPDATE tus_uploads SET lock_at = ? WHERE id = ?', nowMs, id);
}

export function saveTusProgress(
  sql: SqlStorage,
  id: string,
  lockToken: string,
  p: TusProgress,
  release: boolean,
  nowMs: number,
): void {
  held(sql, id, lockToken);
  sql.exec(
    `UPDATE tus_uploads SET upload_offset = ?, multipart_id = ?, parts = ?, tail_key = ?, mime = ?, kind = ?,
       lock_token = ?, lock_at = ?, updated_at = ? WHERE id = ?`,
    p.upload_offset,
    p.multipart_id,
    JSON.stringify(p.parts),
    p.tail_key,
    p.mime,
    p.kind,
    release ? null : lockToken,
    release ? null : nowMs,
    nowMs,
    id,
  );
}

/** The media row and the upload's "done" mark land together. */
export function completeTusUpload(
  sql: SqlStorage,
  id: string,
  lockToken: string,
  media: NewMedia,
  probe: ProbeResult | null,
  nowMs: number,
): MediaRecord {
  const r = held(sql, id, lockToken);
  const record = addMedia(sql, r.session_id, media, probe, nowMs);
  sql.exec(
    `UPDATE tus_uploads SET upload_offset = length, multipart_id = NULL, parts = '[]', tail_key = NULL,
       done_media_id = ?, lock_token = NULL, lock_at = NULL, updated_at = ? WHERE id = ?`,
    record.media_id,
    nowMs,
    id,
  );
  return record;
}

/** Forgets an upload; returns it so the caller can remove what it left in R2 (null if already gone). */
export function removeTusUpload(sql: SqlStorage, id: string, sessionId: string | null): TusUpload | null {
  const r = sessionId === null ? row(sql, id) : owned(sql, sessionId, id);
  if (!r) return null;
  sql.exec('DELETE FROM tus_uploads WHERE id = ?', id);
  return toUpload(r);
}

export const tusTempPrefix = (userId: string, uploadId: string) => `u/${userId}/tmp/tus/${uploadId}/`;

/**
 * Removes what an unfinished upload left in R2: its multipart upload (R2 keeps unaborted parts,
 * billed, until its own lifecycle reaps them), its temporary objects and a half-committed object.
 */
export async function releaseTusStorage(bucket: R2Bucket, userId: string, u: TusUpload): Promise<void> {
  if (u.multipart_id)
    await bucket
      .resumeMultipartUpload(u.r2_key, u.multipart_id)
      .abort()
      .catch(() => {});
  const temp = await bucket.list({ prefix: tusTempPrefix(userId, u.id) });
  const keys = temp.objects.map((o) => o.key);
  if (!u.done_media_id) keys.push(u.r2_key);
  await bucket.delete(keys);
}

/**
 * Alarm-driven: forgets uploads untouched for TUS_STALE_MS with their R2 leftovers (a finished
 * upload keeps its media; only the row that let HEAD/GET report its media id goes). Returns when
 * to look again.
 */
export async function sweepStaleTusUploads(
  storage: DurableObjectStorage,
  bucket: R2Bucket,
  userId: string,
  nowMs: number,
  batch: number,
): Promise<{ removed: number; nextCheckMs: number | null }> {
  const sql = storage.sql;
  const stale = (
    sql
      .exec('SELECT * FROM tus_uploads WHERE updated_at <= ? ORDER BY updated_at LIMIT ?', nowMs - TUS_STALE_MS, batch)
      .toArray() as Row[]
  ).map(toUpload);
  for (const u of stale) {
    await releaseTusStorage(bucket, userId, u);
    storage.transactionSync(() =>
      sql.exec('DELETE FROM tus_uploads WHERE id = ? AND updated_at = ?', u.id, u.updated_at),
    );
  }
  const next = sql.exec('SELECT MIN(updated_at) AS t FROM tus_uploads').one().t as number | null;
  return {
    removed: stale.length,
    nextCheckMs: stale.length === batch ? nowMs + 1000 : next === null ? null : next + TUS_STALE_MS,
  };
}
