/**
 * Voice activity over long audio in bounded memory. Silero in the speech worker loads the PCM it
 * is given as float32 (an hour would be 230 MB, plus the model's own copies), so audio longer
 * than one slice goes to it in slices cut from the local PCM file, and the spans are joined
 * across the seams: speech running over a seam comes back as two spans touching it, which the
 * join makes one again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Span, VoiceActivityDetector } from '../asr/types.ts';
import { slicePcm } from './chunks.ts';

/** 10 minutes of 16 kHz float32 is 38 MB in the worker: the most it holds for voice activity. */
export const VAD_SLICE_MS = 10 * 60_000;

/** Joins spans (sorted by start) separated by less than `gapMs`: the detector bridges such gaps itself. */
export function joinSpans(spans: readonly Span[], gapMs: number): Span[] {
  const out: Span[] = [];
  for (const sp of [...spans].sort((a, b) => a.s - b.s)) {
    const last = out.at(-1);
    if (last && sp.s - last.e < gapMs) last.e = Math.max(last.e, sp.e);
    else out.push({ ...sp });
  }
  return out;
}

export function slicedDetector(vad: VoiceActivityDetector, sliceMs = VAD_SLICE_MS): VoiceActivityDetector {
  return {
    name: vad.name,
    async speech(pcmPath, opts) {
      if (opts.durationMs <= sliceMs) return vad.speech(pcmPath, opts);
      const dir = await mkdtemp(join(tmpdir(), 'engine-vad-'));
      try {
        const spans: Span[] = [];
        for (let s = 0; s < opts.durationMs; s += sliceMs) {
          const e = Math.min(opts.durationMs, s + sliceMs);
          const path = join(dir, `slice-${s}.raw`);
          await slicePcm(pcmPath, { s, e }, path);
          const part = await vad.speech(path, { ...opts, durationMs: e - s });
          for (const sp of part) spans.push({ s: sp.s + s, e: Math.min(e, sp.e + s) });
          await rm(path, { force: true });
        }
        return joinSpans(spans, opts.minSilenceMs);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
