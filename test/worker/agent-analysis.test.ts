import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { analyseMedia, analysisKey } from '../../src/agent/analysis.ts';
import { TurnError } from '../../src/agent/errors.ts';

const media = (hash: string | null) => ({
  media_id: 'med_x1',
  name: 'talk.mp4',
  r2_key: 'u/x/talk.mp4',
  content_hash: hash,
});
const result = (hash: string) => ({
  content_hash: hash,
  duration_ms: 5000,
  pauses: [{ s: 1000, e: 2000 }],
  speech: [{ s: 0, e: 1000 }],
  words: [{ w: 'hi', s: 100, e: 400, conf: 0.9, filler: false }],
  language: 'en',
  asr_provider: 'fixture',
  cached: false,
});

describe('analysis on demand', () => {
  it('reads the R2 cache first, so a second request never calls the engine', async () => {
    await env.MEDIA.put('u/x/analysis/hash_cached_01.en.v2.json', JSON.stringify(result('hash_cached_01')));
    const out = await analyseMedia({ ...env, ENGINE_URL: '' }, 'http://127.0.0.1:8787', media('hash_cached_01'), 'en');
    expect(out.cached).toBe(true);
    expect(out.result.words[0]!.w).toBe('hi');
  });

  it('keys the cache under the owner by content hash (or media id) and language', () => {
    expect(analysisKey(media('abcdef0123'), 'en')).toBe('u/x/analysis/abcdef0123.en.v2.json');
    expect(analysisKey(media('abcdef0123'), 'zh-CN')).toBe('u/x/analysis/abcdef0123.zh-hans.v2.json');
    expect(analysisKey(media('abcdef0123'), 'zh')).toBe('u/x/analysis/abcdef0123.zh-hans.v2.json');
    expect(analysisKey(media('abcdef0123'), 'zh-TW')).toBe('u/x/analysis/abcdef0123.zh-hant.v2.json');
    expect(analysisKey(media(null), 'en-US')).toBe('u/x/analysis/media-med_x1.en.v2.json');
  });

  it("does not serve one language's words to another", async () => {
    await env.MEDIA.put('u/x/analysis/hash_lang_01.en.v2.json', JSON.stringify(result('hash_lang_01')));
    const err = await analyseMedia({ ...env, ENGINE_URL: '' }, 'http://127.0.0.1:8787', media('hash_lang_01'), 'zh')
      .then(() => null)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ENGINE_UNAVAILABLE' });
  });

  it('without an engine it says so instead of guessing', async () => {
    const err = await analyseMedia(
      { ...env, ENGINE_URL: '' },
      'http://127.0.0.1:8787',
      media('hash_missing_01'),
      'en',
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TurnError);
    expect(err).toMatchObject({
      code: 'ENGINE_UNAVAILABLE',
      message: expect.stringMatching(/ENGINE_URLS and ENGINE_URL are empty/),
    });
  });

  it('an unreachable engine is a clear error too; a corrupt cache entry is ignored', async () => {
    await env.MEDIA.put('u/x/analysis/hash_corrupt_01.en.v2.json', '{not json');
    const err = await analyseMedia(
      { ...env, ENGINE_URL: 'http://127.0.0.1:9' },
      'http://127.0.0.1:8787',
      media('hash_corrupt_01'),
      'en',
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ENGINE_UNAVAILABLE', message: expect.stringMatching(/not reachable/) });
  });
});
