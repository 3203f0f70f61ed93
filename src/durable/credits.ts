import { AppError, ErrorCode } from '../lib/errors.ts';

/**
 * The credits ledger. Every move is a row; balances are derived, never stored:
 *   grant  → +available            freeze → available → frozen
 *   spend  → frozen → spent        refund → frozen → available
 * so `available + frozen + spent = granted` holds by construction. A render's freeze, spend
 * and refund share its id as `ref`, which makes spend and refund idempotent.
 */
export interface Balance {
  available: number;
  frozen: number;
  spent: number;
  granted: number;
  total: number;
}

export interface LedgerRow {
  seq: number;
  at: number;
  kind: 'grant' | 'freeze' | 'spend' | 'refund';
  amount: number;
  ref: string | null;
  note: string | null;
}

export function balance(sql: SqlStorage): Balance {
  const row = sql
    .exec(
      `SELECT
         COALESCE(SUM(CASE WHEN kind = 'grant' THEN amount END), 0) AS granted,
         COALESCE(SUM(CASE WHEN kind = 'freeze' THEN amount END), 0) AS frozen_in,
         COALESCE(SUM(CASE WHEN kind = 'spend' THEN amount END), 0) AS spent,
         COALESCE(SUM(CASE WHEN kind = 'refund' THEN amount END), 0) AS refunded
       FROM ledger`,
    )
    .one() as { granted: number; frozen_in: number; spent: number; refunded: number };
  const frozen = row.frozen_in - row.spent - row.refunded;
  const available = row.granted - row.frozen_in + row.refunded;
  return { available, frozen, spent: row.spent, granted: row.granted, total: available + frozen };
}

export function ledger(sql: SqlStorage, limit = 500): LedgerRow[] {
  return sql
    .exec('SELECT seq, at, kind, amount, ref, note FROM ledger ORDER BY seq DESC LIMIT ?', limit)
    .toArray() as unknown as LedgerRow[];
}

export function grant(sql: SqlStorage, amount: number, note: string, nowMs: number): void {
  sql.exec("INSERT INTO ledger (at, kind, amount, ref, note) VALUES (?, 'grant', ?, NULL, ?)", nowMs, amount, note);
}

function movesFor(sql: SqlStorage, ref: string) {
  const rows = sql.exec('SELECT kind, amount FROM ledger WHERE ref = ?', ref).toArray() as {
    kind: string;
    amount: number;
  }[];
  return {
    frozen: rows.find((r) => r.kind === 'freeze')?.amount ?? null,
    settled: rows.some((r) => r.kind === 'spend' || r.kind === 'refund'),
  };
}

/** Freezes `amount` for `ref` once; a second call for the same ref is a no-op (retried step). */
export function freeze(
  sql: SqlStorage,
  ref: string,
  amount: number,
  note: string,
  nowMs: number,
  bindUrl: string | null,
) {
  const existing = movesFor(sql, ref);
  if (existing.frozen !== null) return { frozen: existing.frozen, already: true };
  const { available } = balance(sql);
  if (available < amount) {
    throw new AppError(
      ErrorCode.OUT_OF_CREDITS,
      `Not enough credits: this needs ${amount}, you have ${available}${bindUrl ? '. Register to get more' : ''}`,
      { needed: amount, available, ...(bindUrl ? { bind_url: bindUrl } : {}) },
    );
  }
  sql.exec("INSERT INTO ledger (at, kind, amount, ref, note) VALUES (?, 'freeze', ?, ?, ?)", nowMs, amount, ref, note);
  return { frozen: amount, already: false };
}

/** Settles a freeze as spent or refunded, exactly once; returns false when there was nothing to settle. */
export function settle(sql: SqlStorage, ref: string, kind: 'spend' | 'refund', note: string, nowMs: number): boolean {
  const { frozen, settled } = movesFor(sql, ref);
  if (frozen === null || settled) return false;
  sql.exec('INSERT INTO ledger (at, kind, amount, ref, note) VALUES (?, ?, ?, ?, ?)', nowMs, kind, frozen, ref, note);
  return true;
}
