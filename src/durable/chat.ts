/** The conversation of a session: one row per message, read back oldest first. */
import { getSession } from './sessions.ts';

export interface ChatEntry {
  role: 'user' | 'model';
  text: string;
}

export function appendChat(sql: SqlStorage, sessionId: string, entries: ChatEntry[], nowMs: number): void {
  getSession(sql, sessionId);
  for (const e of entries)
    sql.exec('INSERT INTO chat (session_id, role, text, at) VALUES (?, ?, ?, ?)', sessionId, e.role, e.text, nowMs);
}

export function chatHistory(sql: SqlStorage, sessionId: string, limit: number) {
  getSession(sql, sessionId);
  return (
    sql
      .exec('SELECT role, text, at FROM chat WHERE session_id = ? ORDER BY seq DESC LIMIT ?', sessionId, limit)
      .toArray() as { role: string; text: string; at: number }[]
  ).reverse();
}
