import { type Draft, DraftSchema } from '../draft/schema.ts';
import { AppError, ErrorCode } from '../lib/errors.ts';
import { getSession, readDraft } from './sessions.ts';

/**
 * Largest draft JSON one version row may hold: a Durable Object's SQLite refuses rows over 2 MB.
 * Only captions with word timings get near it (an hour ~0.5 MB, 3 hours of dense speech ~2 MB;
 * docs/security.md), so a clear refusal beats SQLite's error.
 */
export const MAX_STORED_DRAFT_BYTES = 1_900_000;

/** How many past versions undo can reach; older ones are pruned on commit. */
export const DRAFT_HISTORY_LIMIT = 100;

/**
 * Draft history is a linear list of versions with a head pointer: commit drops anything
 * after the head (the redo branch) and appends; undo/redo move the head.
 */
export function commitDraft(
  sql: SqlStorage,
  sessionId: string,
  draft: Draft,
  args: { op: string; baseVersion?: number },
  nowMs: number,
): { version: number } {
  const session = getSession(sql, sessionId);
  if (args.baseVersion !== undefined && args.baseVersion !== session.draft_version) {
    throw new AppError(
      ErrorCode.CONFLICT,
      `The draft changed meanwhile (now version ${session.draft_version}, you edited ${args.baseVersion}): reload it and retry`,
    );
  }
  const valid = DraftSchema.parse(draft);
  const json = JSON.stringify(valid);
  const bytes = new TextEncoder().encode(json).byteLength;
  if (bytes > MAX_STORED_DRAFT_BYTES) {
    throw new AppError(
      ErrorCode.BAD_REQUEST,
      `This draft would be ${(bytes / 1e6).toFixed(1)} MB, over the ${MAX_STORED_DRAFT_BYTES / 1e6} MB one saved version may hold (captions with word timings of about 3 hours of speech): caption a shorter part, or edit the recording in parts`,
      { bytes, max_bytes: MAX_STORED_DRAFT_BYTES },
    );
  }
  const version = session.draft_version + 1;
  sql.exec('DELETE FROM drafts WHERE session_id = ? AND version >= ?', sessionId, version);
  sql.exec(
    'INSERT INTO drafts (session_id, version, draft, op, created_at) VALUES (?, ?, ?, ?, ?)',
    sessionId,
    version,
    json,
    args.op,
    nowMs,
  );
  sql.exec('DELETE FROM drafts WHERE session_id = ? AND version < ?', sessionId, version - DRAFT_HISTORY_LIMIT);
  sql.exec('UPDATE sessions SET head_version = ?, updated_at = ? WHERE id = ?', version, nowMs, sessionId);
  return { version };
}

/** Moves the head one step back (undo) or forward (redo); null when there is nowhere to go. */
export function moveHead(sql: SqlStorage, sessionId: string, step: -1 | 1, nowMs: number) {
  const session = getSession(sql, sessionId);
  const target = session.draft_version + step;
  const exists =
    sql.exec('SELECT 1 FROM drafts WHERE session_id = ? AND version = ?', sessionId, target).toArray().length > 0;
  if (!exists) return null;
  const undone = step === -1 ? readDraft(sql, sessionId).op : null;
  sql.exec('UPDATE sessions SET head_version = ?, updated_at = ? WHERE id = ?', target, nowMs, sessionId);
  const now = readDraft(sql, sessionId);
  return { draft: now.draft, version: now.version, op: step === -1 ? undone! : now.op };
}

export function draftHistory(sql: SqlStorage, sessionId: string) {
  getSession(sql, sessionId);
  return sql
    .exec('SELECT version, op, created_at FROM drafts WHERE session_id = ? ORDER BY version', sessionId)
    .toArray() as {
    version: number;
    op: string;
    created_at: number;
  }[];
}
