/**
 * Recorded chat turns, so that a retried POST /run_sse replays the first attempt instead of
 * applying its edits again (docs/api.md, "Retried turns"). A turn is claimed under its retry key
 * (Idempotency-Key header, ADK invocation id or message id) in one transaction: of two attempts
 * with the same key exactly one runs, whatever their timing. The running attempt appends each
 * event as it is sent; a retry reads them back.
 */
import { AppError, ErrorCode } from '../lib/errors.ts';
import { getSession } from './sessions.ts';

/** A record lives this long after its last event: retries later than that run as new turns. */
export const TURN_REPLAY_WINDOW_MS = 10 * 60_000;
/** A running turn silent this long (no event, no heartbeat) died with its request. */
export const TURN_STALE_MS = 30_000;

export type TurnClaim =
  | { claimed: true }
  | { claimed: false; invocationId: string; frames: string[]; next: number; done: boolean; stale: boolean };

export interface TurnFrames {
  frames: string[];
  /** The sequence number to read from next time. */
  next: number;
  done: boolean;
  stale: boolean;
}

type TurnRow = { id: number; fingerprint: string; invocation_id: string; done: number; updated_at: number };

function findTurn(sql: SqlStorage, sessionId: string, key: string): TurnRow | undefined {
  return sql
    .exec(
      'SELECT id, fingerprint, invocation_id, done, updated_at FROM turns WHERE session_id = ? AND key = ?',
      sessionId,
      key,
    )
    .toArray()[0] as TurnRow | undefined;
}

function purgeExpired(sql: SqlStorage, nowMs: number): void {
  const cutoff = nowMs - TURN_REPLAY_WINDOW_MS;
  sql.exec('DELETE FROM turn_events WHERE turn_id IN (SELECT id FROM turns WHERE updated_at < ?)', cutoff);
  sql.exec('DELETE FROM turns WHERE updated_at < ?', cutoff);
}

function framesOf(sql: SqlStorage, row: TurnRow, fromSeq: number, nowMs: number): TurnFrames {
  const rows = sql
    .exec('SELECT seq, frame FROM turn_events WHERE turn_id = ? AND seq >= ? ORDER BY seq', row.id, fromSeq)
    .toArray() as { seq: number; frame: string }[];
  return {
    frames: rows.map((r) => r.frame),
    next: rows.length ? rows.at(-1)!.seq + 1 : fromSeq,
    done: row.done === 1,
    stale: row.done === 0 && nowMs - row.updated_at > TURN_STALE_MS,
  };
}

/**
 * Claims the turn for `key`, or returns what its first attempt recorded so far. The same key
 * with a different message is a client bug (a reused key), refused with 409 rather than
 * answered with the events of another message.
 */
export function claimTurn(
  sql: SqlStorage,
  args: { sessionId: string; key: string; fingerprint: string; invocationId: string },
  nowMs: number,
): TurnClaim {
  getSession(sql, args.sessionId);
  purgeExpired(sql, nowMs);
  const row = findTurn(sql, args.sessionId, args.key);
  if (row) {
    if (row.fingerprint !== args.fingerprint)
      throw new AppError(
        ErrorCode.CONFLICT,
        'This retry key was already used for a different message in this session: send a new key for a new message.',
      );
    return { claimed: false, invocationId: row.invocation_id, ...framesOf(sql, row, 0, nowMs) };
  }
  sql.exec(
    'INSERT INTO turns (session_id, key, fingerprint, invocation_id, done, created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)',
    args.sessionId,
    args.key,
    args.fingerprint,
    args.invocationId,
    nowMs,
    nowMs,
  );
  return { claimed: true };
}

/** Appends events of the running attempt (none: a heartbeat that keeps it from looking dead). */
export function appendTurn(
  sql: SqlStorage,
  args: { sessionId: string; key: string; frames: string[]; done: boolean },
  nowMs: number,
): void {
  const row = findTurn(sql, args.sessionId, args.key);
  if (!row) return; // expired or its session deleted: nothing left to replay into
  let seq = sql.exec('SELECT COALESCE(MAX(seq), -1) + 1 AS n FROM turn_events WHERE turn_id = ?', row.id).one()
    .n as number;
  for (const frame of args.frames)
    sql.exec('INSERT INTO turn_events (turn_id, seq, frame) VALUES (?, ?, ?)', row.id, seq++, frame);
  sql.exec('UPDATE turns SET updated_at = ?, done = MAX(done, ?) WHERE id = ?', nowMs, args.done ? 1 : 0, row.id);
}

/** Events from `fromSeq` on, for a retry following an attempt that is still running. */
export function readTurn(sql: SqlStorage, sessionId: string, key: string, fromSeq: number, nowMs: number): TurnFrames {
  const row = findTurn(sql, sessionId, key);
  // Gone meanwhile (expired): the retry has replayed all there will ever be.
  if (!row) return { frames: [], next: fromSeq, done: true, stale: false };
  return framesOf(sql, row, fromSeq, nowMs);
}
