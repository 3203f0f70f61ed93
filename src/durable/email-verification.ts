/**
 * Email verification before registration credits. Registering only records a pending
 * verification (a single-use, expiring token, stored hashed); the credits are granted when the
 * link is opened, once. Without this, every made-up address farmed REGISTRATION_CREDITS.
 */
import { AppError, ErrorCode } from '../lib/errors.ts';
import { register, registration } from './registration.ts';

/** How long a verification link works. */
export const VERIFY_TTL_MS = 24 * 3600_000;

interface Row {
  email_hash: string;
  expires_at: number;
  used_at: number | null;
}

/**
 * Replaces any unused verification with a new one for `emailHash`: registering again (with
 * another address, say after a typo) makes the earlier link invalid. null when no user lives here.
 */
export function startVerification(sql: SqlStorage, emailHash: string, tokenHash: string, nowMs: number) {
  if (!registration(sql)) return null;
  sql.exec('DELETE FROM email_verifications WHERE used_at IS NULL');
  const expiresAt = nowMs + VERIFY_TTL_MS;
  sql.exec(
    'INSERT INTO email_verifications (token_hash, email_hash, created_at, expires_at) VALUES (?, ?, ?, ?)',
    tokenHash,
    emailHash,
    nowMs,
    expiresAt,
  );
  return { expires_at: expiresAt };
}

/** The email a usable token verifies; otherwise the error the link's opener sees (nothing changes). */
export function checkVerification(sql: SqlStorage, tokenHash: string, nowMs: number): { email_hash: string } {
  const row = sql
    .exec<Row & Record<string, SqlStorageValue>>(
      'SELECT email_hash, expires_at, used_at FROM email_verifications WHERE token_hash = ?',
      tokenHash,
    )
    .toArray()[0];
  if (!row) {
    throw new AppError(
      ErrorCode.BAD_REQUEST,
      'This verification link is not valid: it was altered, or replaced by a newer registration (use the latest link)',
    );
  }
  if (row.used_at !== null) {
    throw new AppError(
      ErrorCode.GONE,
      'This verification link was already used: the email is verified, credits are granted once',
    );
  }
  if (row.expires_at <= nowMs) {
    throw new AppError(ErrorCode.GONE, 'This verification link has expired: register again to get a new one');
  }
  return { email_hash: row.email_hash };
}

/**
 * Uses the token and registers the email with its credits, in one transaction (the caller has
 * claimed the email for this user). A second call with the same token fails: credits once.
 */
export function completeVerification(sql: SqlStorage, tokenHash: string, nowMs: number) {
  const { email_hash } = checkVerification(sql, tokenHash, nowMs);
  const current = registration(sql);
  if (current?.registered && current.email_hash !== email_hash) {
    throw new AppError(ErrorCode.CONFLICT, 'This account is already registered with another email');
  }
  sql.exec('UPDATE email_verifications SET used_at = ? WHERE token_hash = ?', nowMs, tokenHash);
  return register(sql, email_hash, nowMs)!;
}
