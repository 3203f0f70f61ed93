/**
 * Issue 11 (rate limits that hold): only new identities count against the per-client mint limit,
 * so a returning client (same X-Client-Id) is never locked out; and where the client address
 * header cannot be trusted (CLIENT_IP_HEADER = ""), inventing CF-Connecting-IP values does not
 * get past one global limit.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index.ts';
import { BASE, call, json } from './helpers.ts';

const mint = (clientId: string, ip: string) =>
  call('/api/auth/anonymous-token', { method: 'POST', headers: { 'x-client-id': clientId, 'cf-connecting-ip': ip } });

describe('mint limits', () => {
  it('a returning client is never limited, even from an address that used up its new identities', async () => {
    const ip = '203.0.113.77';
    const back = 'returning-client-0001';
    expect((await mint(back, ip)).status).toBe(200);
    // New identities from this address run into the limit. (Counted until the first 429 rather
    // than for exactly 11 mints: on a loaded machine the loop can straddle the limiter's minute.)
    let limited = false;
    for (let n = 0; n < 40 && !limited; n++)
      limited = (await mint(`fresh-client-${n}-${Date.now()}`, ip)).status === 429;
    expect(limited, 'new identities from one address are limited').toBe(true);
    for (let n = 0; n < 15; n++) {
      const res = await mint(back, ip);
      expect(res.status, `re-mint ${n}`).toBe(200);
      expect((await json<{ credits: number }>(res)).data.credits).toBe(100); // no new credits either
    }
  });

  it('with an untrusted address header, spoofed addresses share one limit', async () => {
    const statuses: number[] = [];
    for (let n = 0; n < 11; n++) {
      const ctx = createExecutionContext();
      const res = await worker.fetch(
        new Request(`${BASE}/api/auth/anonymous-token`, {
          method: 'POST',
          headers: { 'x-client-id': `spoofing-client-${n}`, 'cf-connecting-ip': `198.51.100.${n}` },
        }),
        { ...env, CLIENT_IP_HEADER: '' },
        ctx,
      );
      await waitOnExecutionContext(ctx);
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(statuses[10]).toBe(429);
  });
});
