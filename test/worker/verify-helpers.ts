/** Registration through the real delivery channel: the link is read from the Worker's log line. */
import { expect, vi } from 'vitest';
import { call, json } from './helpers.ts';

export const registerBody = (bind: string, email: string, token?: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  body: JSON.stringify({ bind, email }),
});

/** POSTs a registration and returns its answer and the verification link it logged (if any). */
export async function registerCapturingLink(bind: string, email: string, token: string) {
  const log = vi.spyOn(console, 'log');
  try {
    const res = await call('/api/auth/register', registerBody(bind, email, token));
    const body = await json<Record<string, unknown>>(res);
    const lines = log.mock.calls
      .map((args) => String(args[0]))
      .filter((l) => l.includes('"email verification"'))
      .map((l) => JSON.parse(l) as { user_id: string; email: string; verify_url: string; expires_at: number });
    expect(lines.length).toBeLessThanOrEqual(1);
    return { res, body, line: lines[0], link: lines[0] ? new URL(lines[0].verify_url) : undefined };
  } finally {
    log.mockRestore();
  }
}

/** Opens the link as an API client (envelope) or a browser (HTML). */
export function openLink(link: URL, as: 'api' | 'browser' = 'api', language = 'en') {
  return call(`${link.pathname}${link.search}`, {
    headers: { accept: as === 'api' ? 'application/json' : 'text/html', 'accept-language': language },
  });
}
