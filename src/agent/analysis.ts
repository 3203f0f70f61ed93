/**
 * Speech analysis on demand: pauses and words of one uploaded file, from the media engine's
 * POST /analyse, cached in R2 under `u/<userId>/analysis/<content_hash>.<lang>.v2.json` so the same file is never
 * analysed twice (uploads may pre-warm the same key). No engine → a clear error, never a guess.
 */
import { analysisCostCredits } from '../lib/cost.ts';
import { EngineUnavailable, engineFetch, engineIds, hasEngine, pickEngine } from '../lib/engine-client.ts';
import { AnalyseResult } from '../lib/engine-protocol.ts';
import { signBlobUrl } from '../lib/signing.ts';
import { analysisCacheId, analysisPrefix } from '../lib/storage-keys.ts';
import {
  analyseWindows,
  type EnginePool,
  LONG_ANALYSIS_MS,
  planAnalysisWindows,
  WindowFailed,
  type WindowStore,
} from './analysis-windows.ts';
import { TurnError } from './errors.ts';

/** Long recordings take a while on the CPU (Whisper base ~0.1x real time, pocketsphinx ~0.25x). */
const ANALYSE_TIMEOUT_MS = 15 * 60_000;

export interface AnalysableMedia {
  media_id: string;
  name: string;
  r2_key: string;
  content_hash: string | null;
  /** From the upload's probe; decides the analysis cost (src/lib/cost.ts). */
  duration_ms?: number | null;
}

/** How a long file's analysis is paid: freeze before, spend after, refund on failure (one ledger ref). */
export interface AnalysisCharge {
  freeze(ref: string, amount: number, note: string): Promise<unknown>;
  settle(ref: string, kind: 'spend' | 'refund', note: string): Promise<unknown>;
}

/** Thrown (not a TurnError) when a file is too long to analyse for free and nobody can pay. */
export class AnalysisNeedsCredits extends Error {
  constructor(readonly credits: number) {
    super(`analysis needs ${credits} credits`);
  }
}

/**
 * Speech is recognised per language, so the cache is keyed by content and language: the primary
 * tag, except Chinese, whose region or script tag decides simplified or traditional characters.
 */
const cacheLanguage = (language: string) => {
  const tag = language.toLowerCase().replace(/[^a-z-]/g, '');
  const primary = tag.split('-')[0] || 'en';
  if (primary !== 'zh') return primary;
  return /^zh-(hant|tw|hk|mo)\b/.test(tag) ? 'zh-hant' : 'zh-hans';
};

/** Bumped when the engine's analysis changes (v2: Whisper + voice activity), so old results are not reused. */
const ANALYSIS_VERSION = 'v2';

/** FNV-1a, 52 bits: a stable cache-key suffix for a bias list (not a security hash). */
function biasTag(hotwords: string): string {
  let h = 0xcbf29ce484222325n;
  for (const ch of new TextEncoder().encode(hotwords)) h = BigInt.asUintN(64, (h ^ BigInt(ch)) * 0x100000001b3n);
  return `.hw-${(h >> 12n).toString(16)}`;
}

export const analysisKey = (media: AnalysableMedia, language: string, hotwords?: string) =>
  `${analysisPrefix(media)}${cacheLanguage(language)}.${ANALYSIS_VERSION}${hotwords ? biasTag(hotwords) : ''}.json`;

export type AnalysisProgress = (done: number, total: number) => void | Promise<void>;

export interface AnalysisOutcome {
  result: AnalyseResult;
  cached: boolean;
}

/** The pauses and words of this media are cached for the language: speech edits need no engine call. */
export async function isAnalysed(env: Env, media: AnalysableMedia, language: string): Promise<boolean> {
  return (await env.MEDIA.head(analysisKey(media, language))) !== null;
}

export async function analyseMedia(
  env: Env,
  origin: string,
  media: AnalysableMedia,
  language: string,
  charge?: AnalysisCharge,
  /** Words to bias recognition toward (a re-analysis with the session's corrections). */
  hotwords?: string,
  /** Use the analysis made with these hotwords if "transcribe it again" already made it. */
  prefer?: string,
  /** A long file is analysed in windows: called as each one finishes ("part 3 of 12"). */
  onProgress?: AnalysisProgress,
): Promise<AnalysisOutcome> {
  if (prefer && !hotwords) {
    const biased = await env.MEDIA.get(analysisKey(media, language, prefer));
    const parsed = biased ? AnalyseResult.safeParse(await biased.json().catch(() => null)) : null;
    if (parsed?.success) return { result: parsed.data, cached: true };
  }
  const key = analysisKey(media, language, hotwords);
  const stored = await env.MEDIA.get(key);
  if (stored) {
    const parsed = AnalyseResult.safeParse(await stored.json().catch(() => null));
    if (parsed.success) return { result: parsed.data, cached: true };
  }
  const cost = analysisCostCredits(media.duration_ms);
  if (cost === 0) return await analyseNow(env, origin, media, language, key, hotwords, onProgress);
  if (!charge) throw new AnalysisNeedsCredits(cost);
  // One ref per file and language: a retried turn freezes once, and a cached result is never charged.
  const ref = `analysis:${analysisCacheId(media)}:${cacheLanguage(language)}${hotwords ? biasTag(hotwords) : ''}`;
  const minutes = Math.round((media.duration_ms ?? 0) / 60_000);
  await charge.freeze(ref, cost, `speech analysis of ${media.name} (${minutes} min)`);
  try {
    const outcome = await analyseNow(env, origin, media, language, key, hotwords, onProgress);
    await charge.settle(ref, 'spend', 'analysis done');
    return outcome;
  } catch (err) {
    await charge.settle(ref, 'refund', 'analysis failed');
    throw err;
  }
}

/**
 * The engine pool as the window fan-out sees it: each window goes to the least busy healthy
 * engine (pickEngine); a retry leaves out the engine that failed, unless it is the only one.
 */
function enginePool(env: Env): EnginePool {
  return {
    size: engineIds(env).length,
    pick: async (exclude) => {
      try {
        return await pickEngine(env, { exclude });
      } catch (err) {
        if (err instanceof EngineUnavailable && exclude.length > 0) return await pickEngine(env);
        throw err;
      }
    },
    post: (path, json, timeoutMs, engine) => engineFetch(env, path, { json, timeoutMs, ...(engine ? { engine } : {}) }),
  };
}

async function analyseNow(
  env: Env,
  origin: string,
  media: AnalysableMedia,
  language: string,
  key: string,
  hotwords?: string,
  onProgress?: AnalysisProgress,
): Promise<AnalysisOutcome> {
  if (!hasEngine(env)) {
    throw new TurnError(
      'ENGINE_UNAVAILABLE',
      `Speech analysis of ${media.name} needs the media engine, and none is configured (ENGINE_URLS and ENGINE_URL are empty). Start the stack with \`npm start\` or set ENGINE_URLS, then ask again.`,
      `分析 ${media.name} 的语音需要媒体引擎，但没有配置（ENGINE_URLS 与 ENGINE_URL 为空）。请用 \`npm start\` 启动或设置 ENGINE_URLS 后再试。`,
    );
  }
  const url = await signBlobUrl(env.SIGNING_SECRET, origin, media.r2_key, 'GET', 3600);
  const hash = analysisCacheId(media);
  const request = { url, content_hash: hash, language, ...(hotwords ? { hotwords } : {}) };
  const pool = enginePool(env);
  let result: AnalyseResult;
  if ((media.duration_ms ?? 0) > LONG_ANALYSIS_MS) {
    try {
      const plan = await planAnalysisWindows(pool, request);
      if (plan) {
        const store = windowStore(env, key);
        result = await analyseWindows(pool, request, plan.windows, {
          timeoutMs: ANALYSE_TIMEOUT_MS,
          onProgress,
          store,
        });
        await env.MEDIA.put(key, JSON.stringify(result), { httpMetadata: { contentType: 'application/json' } });
        // The merged analysis replaces its windows (best effort: they sit under the same prefix,
        // so deleting the session or the user removes any left behind).
        await env.MEDIA.delete(plan.windows.map((w) => windowKey(key, w))).catch(() => {});
        return { result, cached: false };
      }
    } catch (err) {
      throw windowError(err, media);
    }
  }
  result = await analyseWhole(env, media, request);
  await env.MEDIA.put(key, JSON.stringify(result), { httpMetadata: { contentType: 'application/json' } });
  return { result, cached: false };
}

/** `…/analysis/<hash>.en.v2.w300000-600000.json`: one finished window of the analysis stored at `key`. */
export const windowKey = (key: string, w: { s: number; e: number }) =>
  `${key.replace(/\.json$/, '')}.w${Math.round(w.s)}-${Math.round(w.e)}.json`;

export function windowStore(env: Env, key: string): WindowStore {
  return {
    async get(w) {
      const stored = await env.MEDIA.get(windowKey(key, w));
      const parsed = stored ? AnalyseResult.safeParse(await stored.json().catch(() => null)) : null;
      return parsed?.success ? parsed.data : null;
    },
    async put(w, r) {
      await env.MEDIA.put(windowKey(key, w), JSON.stringify(r), { httpMetadata: { contentType: 'application/json' } });
    },
  };
}

const unreachable = (media: AnalysableMedia) =>
  new TurnError(
    'ENGINE_UNAVAILABLE',
    `The media engine is not reachable, so ${media.name} could not be analysed. Nothing was changed; try again when it is running.`,
    `无法连接媒体引擎，所以没能分析 ${media.name}。没有做任何改动；引擎运行后请再试。`,
  );

const failed = (media: AnalysableMedia, why: string) =>
  new TurnError(
    'ANALYSIS_FAILED',
    `The media engine could not analyse ${media.name}: ${why}.`,
    `媒体引擎无法分析 ${media.name}：${why}。`,
  );

function windowError(err: unknown, media: AnalysableMedia): Error {
  if (!(err instanceof WindowFailed)) {
    console.warn(JSON.stringify({ level: 'warn', msg: 'engine unreachable: analysis', error: String(err) }));
    return unreachable(media);
  }
  console.warn(JSON.stringify({ level: 'warn', msg: 'windowed analysis failed', error: err.message }));
  if (err.status === undefined && err.retryable) return unreachable(media);
  return failed(media, err.engineError ?? err.message);
}

async function analyseWhole(
  env: Env,
  media: AnalysableMedia,
  request: { url: string; content_hash: string; language: string; hotwords?: string },
): Promise<AnalyseResult> {
  let res: Response;
  try {
    res = await engineFetch(env, '/analyse', { json: { ...request, words: true }, timeoutMs: ANALYSE_TIMEOUT_MS });
  } catch (err) {
    // Its address and the network error are for the operator's log, not for the user.
    console.warn(JSON.stringify({ level: 'warn', msg: 'engine unreachable: analysis', error: String(err) }));
    throw unreachable(media);
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    throw failed(media, body.error ?? `HTTP ${res.status}`);
  }
  const parsed = AnalyseResult.safeParse(await res.json().catch(() => null));
  if (!parsed.success)
    throw new TurnError(
      'ANALYSIS_FAILED',
      'The media engine answered the analysis with an unexpected shape.',
      '媒体引擎返回的分析结果格式不对。',
    );
  return parsed.data;
}
