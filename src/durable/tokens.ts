import * as credits from './credits.ts';

export interface MintArgs {
  userId: string;
  tokenHash: string;
  nowMs: number;
  ttlMs: number;
  starterCredits: number;
}

const storedUserId = (sql: SqlStorage) =>
  sql.exec("SELECT v FROM meta WHERE k = 'user_id'").toArray()[0]?.v as string | undefined;

/** Records a token (its hash only); the first mint also creates the user and grants the starter credits. */
export function mint(sql: SqlStorage, args: MintArgs) {
  const known = storedUserId(sql) !== undefined;
  if (!known) {
    sql.exec("INSERT INTO meta (k, v) VALUES ('user_id', ?), ('created_at', ?)", args.userId, String(args.nowMs));
    credits.grant(sql, args.starterCredits, 'starter grant (anonymous)', args.nowMs);
  }
  const expiresAt = args.nowMs + args.ttlMs;
  sql.exec('INSERT INTO tokens (hash, created_at, expires_at) VALUES (?, ?, ?)', args.tokenHash, args.nowMs, expiresAt);
  return { user_id: args.userId, credits: credits.balance(sql).available, expires_at: expiresAt, is_new: !known };
}

/** Why a token is refused, or whose it is: refusals are routine answers, not errors. */
export function verify(
  sql: SqlStorage,
  tokenHash: string,
  nowMs: number,
): { ok: true; userId: string } | { ok: false; reason: string } {
  const row = sql.exec('SELECT expires_at, revoked_at FROM tokens WHERE hash = ?', tokenHash).toArray()[0] as
    | { expires_at: number; revoked_at: number | null }
    | undefined;
  if (!row) return { ok: false, reason: 'Unknown token' };
  if (row.revoked_at !== null) return { ok: false, reason: 'Token revoked' };
  if (row.expires_at <= nowMs) return { ok: false, reason: 'Token expired' };
  return { ok: true, userId: storedUserId(sql) ?? '' };
}

export function revoke(sql: SqlStorage, tokenHash: string, nowMs: number): boolean {
  return (
    sql.exec('UPDATE tokens SET revoked_at = ? WHERE hash = ? AND revoked_at IS NULL', nowMs, tokenHash).rowsWritten > 0
  );
}
