import * as credits from './credits.ts';

/** Credits granted once when an anonymous user registers (binds an email). */
export const REGISTRATION_CREDITS = 400;

const meta = (sql: SqlStorage, k: string) =>
  sql.exec('SELECT v FROM meta WHERE k = ?', k).toArray()[0]?.v as string | undefined;

/** Whether this user has registered, and with which (hashed) email; null when no user lives here. */
export function registration(sql: SqlStorage) {
  if (!meta(sql, 'user_id')) return null;
  const emailHash = meta(sql, 'email_hash');
  return emailHash
    ? { registered: true as const, email_hash: emailHash, at: Number(meta(sql, 'registered_at')) }
    : { registered: false as const };
}

/**
 * Binds an email to this user and grants the registration credits, once (called when the email
 * is verified: src/durable/email-verification.ts): registering again
 * with the same email is a no-op, with another email it is refused by the caller.
 */
export function register(sql: SqlStorage, emailHash: string, nowMs: number) {
  const current = registration(sql);
  if (!current) return null;
  if (current.registered) return { ...current, granted: 0 };
  sql.exec("INSERT INTO meta (k, v) VALUES ('email_hash', ?), ('registered_at', ?)", emailHash, String(nowMs));
  credits.grant(sql, REGISTRATION_CREDITS, 'registration bonus', nowMs);
  return { registered: true as const, email_hash: emailHash, at: nowMs, granted: REGISTRATION_CREDITS };
}

/** Who owns this name, if anyone (read without claiming). */
export function claimOwner(sql: SqlStorage): string | null {
  return meta(sql, 'claimed_by') ?? null;
}

/**
 * First-come ownership of a name (used on the object named after an email's hash, so one email
 * binds one user without any global table). Returns the owner after the call.
 */
export function claim(sql: SqlStorage, owner: string, nowMs: number): string {
  const existing = meta(sql, 'claimed_by');
  if (existing) return existing;
  sql.exec("INSERT INTO meta (k, v) VALUES ('claimed_by', ?), ('claimed_at', ?)", owner, String(nowMs));
  return owner;
}
