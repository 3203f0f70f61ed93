import { type Draft, DraftSchema, emptyDraft } from '../draft/schema.ts';
import { AppError, ErrorCode, sessionNotFound } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';

export interface Attribution {
  source?: string;
  version?: string;
  platform?: string;
}

export interface SessionRecord {
  session_id: string;
  task_id: string;
  task_name: string;
  language: string;
  attribution: Attribution;
  created_at: number;
  updated_at: number;
  draft_version: number;
}

type SessionRow = {
  id: string;
  task_id: string;
  task_name: string;
  language: string;
  attribution: string;
  created_at: number;
  updated_at: number;
  head_version: number;
};

const toRecord = (r: SessionRow): SessionRecord => ({
  session_id: r.id,
  task_id: r.task_id,
  task_name: r.task_name,
  language: r.language,
  attribution: JSON.parse(r.attribution) as Attribution,
  created_at: r.created_at,
  updated_at: r.updated_at,
  draft_version: r.head_version,
});

export function createSession(
  sql: SqlStorage,
  args: { taskName: string; language: string; attribution: Attribution; id?: string },
  nowMs: number,
): SessionRecord {
  // An ADK client may name its session (POST /apps/{app}/users/{user}/sessions/{sid}); ids are per user.
  if (args.id && sql.exec('SELECT 1 FROM sessions WHERE id = ?', args.id).toArray().length)
    throw new AppError(ErrorCode.BAD_REQUEST, `Session already exists: ${args.id}`);
  const id = args.id ?? newId('ses');
  const taskId = newId('task');
  sql.exec(
    'INSERT INTO sessions (id, task_id, task_name, language, attribution, created_at, updated_at, head_version) VALUES (?, ?, ?, ?, ?, ?, ?, 0)',
    id,
    taskId,
    args.taskName,
    args.language,
    JSON.stringify(args.attribution),
    nowMs,
    nowMs,
  );
  // Version 0 is the empty draft, so undo always has a floor to return to.
  sql.exec(
    "INSERT INTO drafts (session_id, version, draft, op, created_at) VALUES (?, 0, ?, 'create', ?)",
    id,
    JSON.stringify(emptyDraft()),
    nowMs,
  );
  return getSession(sql, id);
}

export function getSession(sql: SqlStorage, sessionId: string): SessionRecord {
  const row = sql.exec('SELECT * FROM sessions WHERE id = ?', sessionId).toArray()[0] as SessionRow | undefined;
  if (!row) throw sessionNotFound();
  return toRecord(row);
}

export function listSessions(sql: SqlStorage): SessionRecord[] {
  return (sql.exec('SELECT * FROM sessions ORDER BY created_at DESC').toArray() as unknown as SessionRow[]).map(
    toRecord,
  );
}

export function deleteSessionRows(sql: SqlStorage, sessionId: string): void {
  getSession(sql, sessionId);
  for (const table of ['drafts', 'chat', 'media']) sql.exec(`DELETE FROM ${table} WHERE session_id = ?`, sessionId);
  sql.exec('DELETE FROM sessions WHERE id = ?', sessionId);
}

export function readDraft(sql: SqlStorage, sessionId: string): { draft: Draft; version: number; op: string } {
  const { draft_version } = getSession(sql, sessionId);
  const row = sql
    .exec('SELECT draft, op FROM drafts WHERE session_id = ? AND version = ?', sessionId, draft_version)
    .one() as { draft: string; op: string };
  return { draft: DraftSchema.parse(JSON.parse(row.draft)), version: draft_version, op: row.op };
}
