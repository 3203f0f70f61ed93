/** Analyse one media file: pauses, speech intervals, words (with fillers), cached per content hash. */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalyseResult } from '../../../src/lib/engine-protocol.ts';
import type { RecognizedWord, Span, SpeechRecognizer, VoiceActivityDetector } from '../asr/types.ts';
import { PCM_BYTES_PER_MS } from '../asr/wav.ts';
import type { EngineConfig } from '../config.ts';
import { runFfmpeg } from '../ffmpeg/run-ffmpeg.ts';
import { Slots } from '../jobs/slots.ts';
import { probeMedia } from '../probe/probe-media.ts';
import { AnalysisCache } from './cache.ts';
import { mapLimit, planChunks, slicePcm } from './chunks.ts';
import { isFiller } from './fillers.ts';
import { complement, reconcile } from './refine.ts';
import { type AnalysisWindows, findWindows } from './windows.ts';

/** ffmpeg's seconds, exact to the millisecond. */
const msToSeconds = (ms: number) => (ms / 1000).toFixed(3);

/** Bumped when pause or word logic changes, so results cached by older logic are not reused. */
const ANALYSIS_VERSION = 'v2';

export interface AnalyseInput {
  url: string;
  content_hash: string;
  language: string;
  words: boolean;
  hotwords?: string;
  /** Only this window of the source (ms); the answer is in source time. */
  start_ms?: number;
  end_ms?: number;
}

export class Analyser {
  private readonly cache: AnalysisCache<AnalyseResult>;
  private readonly windowsCache: AnalysisCache<AnalysisWindows>;
  /**
   * One engine-wide limit on analyses computing at once (cache hits never wait): the recogniser
   * already uses every core, so more at once only adds memory. The rest queue in order.
   */
  readonly slots: Slots<string>;

  constructor(
    private readonly cfg: EngineConfig,
    private readonly recognizer: SpeechRecognizer,
    private readonly vad: VoiceActivityDetector,
  ) {
    this.cache = new AnalysisCache(join(cfg.cacheDir, 'analysis'));
    this.windowsCache = new AnalysisCache(join(cfg.cacheDir, 'analysis'));
    this.slots = new Slots(cfg.maxAnalyses);
  }

  async analyse(req: AnalyseInput, signal?: AbortSignal): Promise<AnalyseResult> {
    const primary = req.language.split('-')[0]!.toLowerCase();
    const supported = !this.recognizer.languages || this.recognizer.languages.includes(primary);
    // A recogniser that cannot do this language gives no words rather than wrong ones.
    if (!supported) req = { ...req, words: false };
    const asr = [this.recognizer.name, this.recognizer.model].filter(Boolean).join('-');
    const bias =
      req.words && req.hotwords ? `.hw-${createHash('sha256').update(req.hotwords).digest('hex').slice(0, 12)}` : '';
    const variant = req.words ? `${asr}.${req.language.toLowerCase()}${bias}` : 'pauses';
    const range = req.start_ms !== undefined && req.end_ms !== undefined ? `.r${req.start_ms}-${req.end_ms}` : '';
    const key = `${req.content_hash}.${ANALYSIS_VERSION}.${this.vad.name}.${variant}${range}`;
    const [result, cached] = await this.cache.getOrCompute(key, () =>
      this.slots.run(() => this.compute(req, signal), req.content_hash),
    );
    // Pause-only results are shared across languages: report the language asked for.
    return req.words ? { ...result, cached } : { ...result, language: req.language, cached };
  }

  /** Where to split a long file (analyse/windows.ts); cached per content and window length ("windows2": cuts near the end of each window). */
  windows(req: { url: string; content_hash: string; window_ms: number }, signal?: AbortSignal) {
    const key = `${req.content_hash}.${ANALYSIS_VERSION}.windows2-${req.window_ms}.min${this.cfg.minPauseMs}`;
    return this.windowsCache.getOrCompute(key, () =>
      findWindows(req.url, { windowMs: req.window_ms, minPauseMs: this.cfg.minPauseMs, signal }),
    );
  }

  private async compute(req: AnalyseInput, signal?: AbortSignal): Promise<AnalyseResult> {
    const base = {
      content_hash: req.content_hash,
      language: req.language,
      asr_provider: req.words ? this.recognizer.name : 'none',
      cached: false,
    };
    const windowed = req.start_ms !== undefined && req.end_ms !== undefined;
    const startMs = req.start_ms ?? 0;
    const info = await probeMedia(req.url, signal);
    if (!info.has_audio) {
      const whole = info.duration_ms ?? 0;
      const d = windowed ? Math.max(0, Math.min(whole, req.end_ms!) - startMs) : whole;
      return { ...base, duration_ms: d, pauses: [], speech: [], words: [], ...this.window(req, d) };
    }
    const dir = await mkdtemp(join(tmpdir(), 'engine-analyse-'));
    try {
      const pcm = join(dir, 'audio.raw');
      // One decode of the source (or of the window asked for: input seeking reads only that part
      // over range requests) to the recogniser's format; everything else reads this local file.
      const seek = windowed ? ['-ss', msToSeconds(startMs), '-t', msToSeconds(req.end_ms! - startMs)] : [];
      await runFfmpeg(
        [...seek, '-i', req.url, '-map', '0:a:0', '-vn', '-ac', '1', '-ar', '16000', '-f', 's16le', pcm],
        { signal },
      );
      const durationMs = Math.round((await stat(pcm)).size / PCM_BYTES_PER_MS);
      const minPauseMs = this.cfg.minPauseMs;
      const voiced = await this.vad.speech(pcm, { durationMs, minSilenceMs: minPauseMs, signal });
      const detected = complement(voiced, durationMs).filter((p) => p.e - p.s >= minPauseMs);
      let words: RecognizedWord[] = [];
      let language = req.language;
      if (req.words && voiced.length > 0) {
        const out = await this.transcribe(pcm, dir, durationMs, detected, req.language, req.hotwords, signal);
        words = out.words;
        language = out.language;
      }
      const {
        pauses,
        speech,
        words: timed,
      } = reconcile(voiced, words, durationMs, minPauseMs, {
        keepEdgePauses: windowed,
      });
      // Offsets added back: a window's answer is in source time, like a whole file's.
      const shift = <T extends Span>(x: T): T => (startMs ? { ...x, s: x.s + startMs, e: x.e + startMs } : x);
      return {
        ...base,
        duration_ms: durationMs,
        pauses: pauses.map(shift),
        speech: speech.map(shift),
        words: timed.map((w) => shift({ ...w, filler: w.filler === true || isFiller(w.w) })),
        language,
        ...this.window(req, durationMs),
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** The window echoed on a windowed answer: where it really ended (the source may be shorter than asked). */
  private window(req: AnalyseInput, durationMs?: number): { start_ms?: number; end_ms?: number } {
    if (req.start_ms === undefined || req.end_ms === undefined) return {};
    return { start_ms: req.start_ms, end_ms: req.start_ms + (durationMs ?? 0) };
  }

  private async transcribe(
    pcm: string,
    dir: string,
    durationMs: number,
    pauses: Span[],
    language: string,
    hotwords: string | undefined,
    signal?: AbortSignal,
  ): Promise<{ words: RecognizedWord[]; language: string }> {
    const chunks = planChunks(durationMs, pauses, this.cfg.asrChunkMs);
    const results = await mapLimit(chunks, this.recognizer.concurrency, async (chunk, i) => {
      const path = join(dir, `chunk-${i}.raw`);
      await slicePcm(pcm, chunk, path);
      const out = await this.recognizer.transcribe(path, { language, hotwords, signal });
      return { ...out, words: out.words.map((w) => ({ ...w, s: w.s + chunk.s, e: w.e + chunk.s })) };
    });
    return { words: results.flatMap((r) => r.words), language: results[0]?.language ?? language };
  }
}
