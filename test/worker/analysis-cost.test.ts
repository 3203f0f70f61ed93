/**
 * Analysis of long uploads counts against the user: free up to 10 minutes of audio, then 1 credit
 * per started 10 minutes, frozen before the engine is asked, spent on success, refunded on failure,
 * once per file and language. Uploads alone never start paid analysis.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { AnalysisNeedsCredits, analyseMedia } from '../../src/agent/analysis.ts';
import { userStub } from '../../src/durable/user-stub.ts';
import { analysisCostCredits } from '../../src/lib/cost.ts';
import { mintToken } from './helpers.ts';

const longMedia = (minutes: number) => ({
  media_id: `med_long_${minutes}`,
  name: 'podcast.mp4',
  r2_key: `u/x/podcast-${minutes}.mp4`,
  content_hash: `hash_long_${minutes}_min`,
  duration_ms: minutes * 60_000,
});

describe('what analysis costs', () => {
  it('is free up to 10 minutes, then 1 credit per started 10 minutes', () => {
    expect(analysisCostCredits(null)).toBe(0);
    expect(analysisCostCredits(30_000)).toBe(0);
    expect(analysisCostCredits(10 * 60_000)).toBe(0);
    expect(analysisCostCredits(10 * 60_000 + 1)).toBe(1);
    expect(analysisCostCredits(120 * 60_000)).toBe(11);
  });

  it('without a payer (an upload pre-warming the cache) a long file is not analysed at all', async () => {
    const err = await analyseMedia(env, 'http://127.0.0.1:8787', longMedia(45), 'en').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnalysisNeedsCredits);
    expect((err as AnalysisNeedsCredits).credits).toBe(4);
  });

  it('freezes before asking the engine and refunds when the analysis fails; the ledger balances', async () => {
    const { user_id } = await mintToken();
    const user = userStub(env, user_id);
    const before = await user.balance();
    const charge = {
      freeze: (ref: string, amount: number, note: string) => user.freezeCredits(ref, amount, note, null),
      settle: (ref: string, kind: 'spend' | 'refund', note: string) => user.settleCredits(ref, kind, note),
    };
    const err = await analyseMedia(
      { ...env, ENGINE_URL: 'http://127.0.0.1:9' }, // nothing listens: the analysis fails
      'http://127.0.0.1:8787',
      longMedia(25),
      'en',
      charge,
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ENGINE_UNAVAILABLE' });
    const rows = (await user.ledger()).filter((r) => r.ref === 'analysis:hash_long_25_min:en');
    expect(rows.map((r) => [r.kind, r.amount]).sort()).toEqual([
      ['freeze', 2],
      ['refund', 2],
    ]);
    const after = await user.balance();
    expect(after).toEqual(before);
    expect(after.available + after.frozen + after.spent).toBe(after.granted);
  });

  it('refuses with OUT_OF_CREDITS, changing nothing, when the user cannot pay', async () => {
    const { user_id } = await mintToken();
    const user = userStub(env, user_id);
    const before = await user.ledger();
    const charge = {
      freeze: (ref: string, amount: number, note: string) => user.freezeCredits(ref, amount, note, null),
      settle: (ref: string, kind: 'spend' | 'refund', note: string) => user.settleCredits(ref, kind, note),
    };
    // 2000 minutes: 199 credits, more than a new user's grant.
    const err = await analyseMedia(env, 'http://127.0.0.1:8787', longMedia(2000), 'en', charge).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 2001 });
    expect(await user.ledger()).toEqual(before);
  });
});
