/**
 * Analysis of a long file split across engines by time. The engine that is least busy finds the
 * cut points (POST /analyse/windows: one streamed energy pass, cuts in the middle of long pauses);
 * the windows then go out in parallel, one POST /analyse {start_ms, end_ms} each on an engine of
 * the pool, and come back in source time; analysis-merge.ts joins them into one analysis of the
 * usual shape. A window that fails on one engine is tried once more on another.
 */
import { AnalyseResult, AnalyseWindowsResult } from '../lib/engine-protocol.ts';
import { mergeWindowAnalyses } from './analysis-merge.ts';

/** Inputs longer than this are analysed in windows (shorter ones: one request, as before). */
export const LONG_ANALYSIS_MS = 10 * 60_000;
/** Target window: ~30 s of work for Whisper base on 2 cores, so progress moves and retries are cheap. */
export const ANALYSIS_WINDOW_MS = 5 * 60_000;
/** Windows in flight per engine: an engine analyses one at a time (ENGINE_MAX_ANALYSES), one more waits warm. */
export const WINDOWS_PER_ENGINE = 1;
/** Never more windows in flight than this, whatever the pool (Worker subrequests, engine queues). */
export const MAX_WINDOWS_IN_FLIGHT = 8;
/** Finding the cuts decodes the whole audio once (an hour: tens of seconds). */
const WINDOWS_TIMEOUT_MS = 5 * 60_000;

/** What the fan-out needs from the engine client: the pool's size, a pick, and a signed POST. */
export interface EnginePool {
  size: number;
  pick(exclude: string[]): Promise<string | undefined>;
  post(path: string, json: unknown, timeoutMs: number, engine?: string): Promise<Response>;
}

/** A failure the next engine might not have: the engine unreachable, or its retryable 503. */
export class WindowFailed extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    readonly engineError?: string,
  ) {
    super(message);
  }
}

/**
 * Where finished windows are kept until the whole file is merged, so an analysis that stopped
 * part way (an engine lost, the turn retried) starts again with only the windows still missing.
 */
export interface WindowStore {
  get(window: { s: number; e: number }): Promise<AnalyseResult | null>;
  put(window: { s: number; e: number }, result: AnalyseResult): Promise<void>;
}

export interface WindowedRequest {
  url: string;
  content_hash: string;
  language: string;
  hotwords?: string;
}

/**
 * Where to cut, or null when the engine cannot say (an engine without /analyse/windows) or the
 * file fits in one window: the caller then analyses it whole.
 */
export async function planAnalysisWindows(
  pool: EnginePool,
  req: WindowedRequest,
  windowMs = ANALYSIS_WINDOW_MS,
): Promise<AnalyseWindowsResult | null> {
  const engine = await pool.pick([]);
  const res = await pool.post(
    '/analyse/windows',
    { url: req.url, content_hash: req.content_hash, window_ms: windowMs },
    WINDOWS_TIMEOUT_MS,
    engine,
  );
  if (res.status === 404) return null;
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    throw new WindowFailed(
      `finding analysis windows: ${body.error ?? `HTTP ${res.status}`}`,
      false,
      res.status,
      body.error,
    );
  }
  const parsed = AnalyseWindowsResult.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new WindowFailed('the engine answered /analyse/windows with an unexpected shape', false);
  return parsed.data.windows.length > 1 ? parsed.data : null;
}

async function analyseWindow(
  pool: EnginePool,
  req: WindowedRequest,
  window: { s: number; e: number },
  timeoutMs: number,
  engine: string | undefined,
): Promise<AnalyseResult> {
  const json = {
    url: req.url,
    content_hash: req.content_hash,
    language: req.language,
    words: true,
    start_ms: Math.round(window.s),
    end_ms: Math.round(window.e),
    ...(req.hotwords ? { hotwords: req.hotwords } : {}),
  };
  let res: Response;
  try {
    res = await pool.post('/analyse', json, timeoutMs, engine);
  } catch (err) {
    throw new WindowFailed(`engine unreachable: ${String(err)}`, true);
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: string; retryable?: boolean };
    throw new WindowFailed(
      `window ${json.start_ms}-${json.end_ms} ms: ${body.error ?? `HTTP ${res.status}`}`,
      res.status === 503 || body.retryable === true,
      res.status,
      body.error,
    );
  }
  const parsed = AnalyseResult.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new WindowFailed('the engine answered a window with an unexpected shape', false);
  return parsed.data;
}

/** Analyses every window on the pool, at most `size × WINDOWS_PER_ENGINE` at once, and merges them. */
export async function analyseWindows(
  pool: EnginePool,
  req: WindowedRequest,
  windows: { s: number; e: number }[],
  opts: {
    timeoutMs: number;
    onProgress?: (done: number, total: number) => void | Promise<void>;
    store?: WindowStore;
  },
): Promise<AnalyseResult> {
  const results: AnalyseResult[] = new Array(windows.length);
  const limit = Math.max(1, Math.min(MAX_WINDOWS_IN_FLIGHT, pool.size * WINDOWS_PER_ENGINE, windows.length));
  let next = 0;
  let done = 0;
  await opts.onProgress?.(0, windows.length);
  const worker = async () => {
    while (next < windows.length) {
      const i = next++;
      const window = windows[i]!;
      const kept = await opts.store?.get(window);
      if (kept) results[i] = kept;
      else {
        const first = await pool.pick([]);
        try {
          results[i] = await analyseWindow(pool, req, window, opts.timeoutMs, first);
        } catch (err) {
          if (!(err instanceof WindowFailed) || !err.retryable) throw err;
          // Once more, elsewhere when the pool has another engine (the same one restarts its worker).
          const second = await pool.pick(first ? [first] : []);
          results[i] = await analyseWindow(pool, req, window, opts.timeoutMs, second);
        }
        await opts.store?.put(window, results[i]!);
      }
      done++;
      await opts.onProgress?.(done, windows.length);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return mergeWindowAnalyses(results, req.content_hash, req.language);
}
