/**
 * Where to split a long recording so that several engines can analyse it side by side: one
 * streamed pass of the energy detector over the whole file (ffmpeg decodes into a pipe; only one
 * level per 30 ms frame is kept, 120,000 numbers for an hour), then cuts in the middle of long
 * pauses near the target window length (the caller's `window_ms`; the Worker asks for
 * ANALYSIS_WINDOW_MS, src/agent/analysis-windows.ts). A word is never split: every cut is inside a pause.
 */
import type { Span } from '../asr/types.ts';
import { runFfmpeg } from '../ffmpeg/run-ffmpeg.ts';
import { probeMedia } from '../probe/probe-media.ts';
import { cutAtPauses } from './chunks.ts';
import { energySpeech, FrameMeter } from './energy-vad.ts';
import { complement } from './refine.ts';

/** Cuts prefer pauses at least this long, so both halves stay pauses on their own (min pause 400 ms). */
export const MIN_CUT_PAUSE_MS = 1000;

export interface AnalysisWindows {
  duration_ms: number;
  /** Consecutive [s, e) ms covering the whole audio. */
  windows: Span[];
  /** Pauses the energy pass found (how many cut candidates there were). */
  pauses: number;
}

/** Pure: windows of at most `windowMs` cut at the middle of pauses. */
export function planWindows(durationMs: number, pauses: Span[], windowMs: number): Span[] {
  return cutAtPauses(durationMs, pauses, windowMs, MIN_CUT_PAUSE_MS);
}

export async function findWindows(
  url: string,
  opts: { windowMs: number; minPauseMs: number; signal?: AbortSignal },
): Promise<AnalysisWindows> {
  const info = await probeMedia(url, opts.signal);
  if (!info.has_audio) {
    const d = info.duration_ms ?? 0;
    return { duration_ms: d, windows: d > 0 ? [{ s: 0, e: d }] : [], pauses: 0 };
  }
  const meter = new FrameMeter();
  await runFfmpeg(['-i', url, '-map', '0:a:0', '-vn', '-ac', '1', '-ar', '16000', '-f', 's16le', 'pipe:1'], {
    signal: opts.signal,
    onStdoutBytes: (chunk) => meter.push(chunk),
  });
  const durationMs = meter.durationMs();
  const speech = energySpeech(meter.levels(), opts.minPauseMs);
  const pauses = complement(speech, durationMs).filter((p) => p.e - p.s >= opts.minPauseMs);
  return { duration_ms: durationMs, windows: planWindows(durationMs, pauses, opts.windowMs), pauses: pauses.length };
}
