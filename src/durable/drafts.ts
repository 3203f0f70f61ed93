import { type Draft, DraftSchema } from '../draft/schema.ts';
import { AppError, ErrorCode } from '../lib/errors.ts';
import { getSession, readDraft } from './sessions.ts';

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
  const version = session.draft_version + 1;
  sql.exec('DELETE FROM drafts WHERE session_id = ? AND version >= ?', sessionId, version);
  sql.exec(
    'INSERT INTO drafts (session_id, version, draft, op, created_at) VALUES (?, ?, ?, ?, ?)',
    sessionId,
    version,
    JSON.stringify(valid),
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
