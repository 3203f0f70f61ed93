/**
 * The UserDO's SQLite schema as an append-only list of migrations: never edit a shipped
 * entry, add a new one. `migrate` runs the ones a given object has not seen yet.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
   CREATE TABLE tokens (
     hash TEXT PRIMARY KEY, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, revoked_at INTEGER);
   CREATE TABLE ledger (
     seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('grant', 'freeze', 'spend', 'refund')),
     amount INTEGER NOT NULL CHECK (amount >= 0), ref TEXT, note TEXT);
   CREATE INDEX ledger_ref ON ledger(ref);
   CREATE TABLE sessions (
     id TEXT PRIMARY KEY, task_id TEXT NOT NULL, task_name TEXT NOT NULL, language TEXT NOT NULL,
     attribution TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
     head_version INTEGER NOT NULL DEFAULT 0);
   CREATE TABLE drafts (
     session_id TEXT NOT NULL, version INTEGER NOT NULL, draft TEXT NOT NULL, op TEXT NOT NULL,
     created_at INTEGER NOT NULL, PRIMARY KEY (session_id, version));
   CREATE TABLE chat (
     seq INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, role TEXT NOT NULL,
     text TEXT NOT NULL, at INTEGER NOT NULL);
   CREATE INDEX chat_session ON chat(session_id, seq);
   CREATE TABLE media (
     id TEXT PRIMARY KEY, session_id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
     mime TEXT NOT NULL, size INTEGER NOT NULL, r2_key TEXT NOT NULL, content_hash TEXT,
     duration_ms REAL, width INTEGER, height INTEGER, fps REAL, has_audio INTEGER,
     rotation INTEGER, video_codec TEXT, audio_codec TEXT, created_at INTEGER NOT NULL);
   CREATE INDEX media_session ON media(session_id, created_at);`,
  // Renders (src/durable/renders.ts): one row per render id, the client's idempotency key.
  `CREATE TABLE renders (
     id TEXT PRIMARY KEY, session_id TEXT NOT NULL, status TEXT NOT NULL, progress REAL NOT NULL DEFAULT 0,
     draft TEXT NOT NULL, output TEXT NOT NULL, cost INTEGER NOT NULL, webhook_url TEXT,
     job_id TEXT, engine_attempt INTEGER NOT NULL DEFAULT 0, error TEXT,
     out_key TEXT, srt_key TEXT, vtt_key TEXT, size INTEGER, duration_ms REAL,
     width INTEGER NOT NULL, height INTEGER NOT NULL, title TEXT NOT NULL, share_id TEXT UNIQUE,
     created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, done_at INTEGER, expires_at INTEGER);
   CREATE INDEX renders_session ON renders(session_id, created_at);`,
  // Resumable (tus) uploads in progress (src/durable/tus-uploads.ts); rows go 24 h after their last PATCH.
  `CREATE TABLE tus_uploads (
     id TEXT PRIMARY KEY, session_id TEXT NOT NULL, name TEXT NOT NULL, length INTEGER NOT NULL,
     upload_offset INTEGER NOT NULL DEFAULT 0, media_id TEXT NOT NULL, r2_key TEXT NOT NULL,
     multipart_id TEXT, parts TEXT NOT NULL DEFAULT '[]', tail_key TEXT, mime TEXT, kind TEXT,
     lock_token TEXT, lock_at INTEGER, done_media_id TEXT,
     created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
   CREATE INDEX tus_uploads_updated ON tus_uploads(updated_at);`,
  // tus: HEAD must repeat the creation's Upload-Metadata as the client sent it.
  'ALTER TABLE tus_uploads ADD COLUMN metadata TEXT',
  // Renders: the share poster (src/render/poster-size.ts, engine/src/render/poster.ts); null when the engine made none.
  'ALTER TABLE renders ADD COLUMN poster_key TEXT',
  // Email verification before registration credits (src/durable/email-verification.ts): at most one
  // unused row (a new registration replaces it); used rows stay so a replayed link is recognised.
  `CREATE TABLE email_verifications (
     token_hash TEXT PRIMARY KEY, email_hash TEXT NOT NULL, created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL, used_at INTEGER);`,
  // Recorded chat turns, replayed to a retried /run_sse (src/durable/turns.ts); rows go 10 min after their last event.
  `CREATE TABLE turns (
     id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, key TEXT NOT NULL,
     fingerprint TEXT NOT NULL, invocation_id TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0,
     created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, UNIQUE (session_id, key));
   CREATE INDEX turns_updated ON turns(updated_at);
   CREATE TABLE turn_events (
     turn_id INTEGER NOT NULL, seq INTEGER NOT NULL, frame TEXT NOT NULL, PRIMARY KEY (turn_id, seq));`,
];

export function migrate(sql: SqlStorage): void {
  sql.exec('CREATE TABLE IF NOT EXISTS _migrations (n INTEGER PRIMARY KEY)');
  const done = (sql.exec('SELECT COALESCE(MAX(n), -1) AS n FROM _migrations').one().n as number) + 1;
  for (let n = done; n < MIGRATIONS.length; n++) {
    sql.exec(MIGRATIONS[n]!);
    sql.exec('INSERT INTO _migrations (n) VALUES (?)', n);
  }
}
