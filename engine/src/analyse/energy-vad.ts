/**
 * Offline fallback voice activity (when the speech worker is not installed): an adaptive
 * noise-floor estimate. The floor is the clip's quiet end (10th percentile of 30 ms RMS frames),
 * so room tone at -60 or -40 dBFS moves the threshold with it; speech starts well above the floor
 * and ends with hysteresis, and gaps shorter than the shortest pause are bridged. Music beds defeat
 * any energy method: that is what Silero (the default, in the speech worker) is for.
 */
import { createReadStream } from 'node:fs';
import type { Span, VoiceActivityDetector } from '../asr/types.ts';
import { PCM_BYTES_PER_MS } from '../asr/wav.ts';

export const FRAME_MS = 30;
/** Louder than this (dBFS, frame RMS) at the 95th percentile, or there is no speech at all. */
const SILENT_CLIP_DB = -60;
/** Speech blobs shorter than this are clicks and bumps. */
const MIN_SPEECH_MS = 90;

/**
 * 30 ms RMS levels (dBFS) of raw s16le 16 kHz mono, fed in pieces of any size: a file or a live
 * ffmpeg pipe. Keeps one number per frame (an hour is 120,000 floats), never the samples.
 */
export class FrameMeter {
  private readonly frameBytes = FRAME_MS * PCM_BYTES_PER_MS;
  private carry = Buffer.alloc(0);
  private out: number[] = [];

  push(chunk: Buffer): void {
    const frameBytes = this.frameBytes;
    let off = 0;
    if (this.carry.length) {
      // Only the frame that straddles two pieces is copied; the rest is read where it lies.
      const need = frameBytes - this.carry.length;
      if (chunk.length < need) {
        this.carry = Buffer.concat([this.carry, chunk]);
        return;
      }
      this.measure(Buffer.concat([this.carry, chunk.subarray(0, need)]), 0);
      off = need;
    }
    for (; off + frameBytes <= chunk.length; off += frameBytes) this.measure(chunk, off);
    this.carry = Buffer.from(chunk.subarray(off));
  }

  private measure(buf: Buffer, off: number): void {
    const frameBytes = this.frameBytes;
    let sum = 0;
    for (let i = off; i < off + frameBytes; i += 2) {
      const v = buf.readInt16LE(i) / 32768;
      sum += v * v;
    }
    this.out.push(10 * Math.log10(sum / (frameBytes / 2) + 1e-12));
  }

  /** Whole frames measured so far. */
  levels(): Float32Array {
    return Float32Array.from(this.out);
  }

  /** Audio fed so far, in ms (whole frames and the partial one). */
  durationMs(): number {
    return this.out.length * FRAME_MS + Math.floor(this.carry.length / PCM_BYTES_PER_MS);
  }
}

/** RMS level of each 30 ms frame of a raw s16le 16 kHz mono file, in dBFS. */
export async function frameLevelsDb(pcmPath: string): Promise<Float32Array> {
  const meter = new FrameMeter();
  for await (const chunk of createReadStream(pcmPath, { highWaterMark: FRAME_MS * PCM_BYTES_PER_MS * 256 })) {
    meter.push(chunk as Buffer);
  }
  return meter.levels();
}

function percentile(sorted: Float32Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
}

/** Speech spans (ms) from frame levels: pure, so the thresholds are unit-tested on numbers. */
export function energySpeech(levelsDb: Float32Array, minSilenceMs: number): Span[] {
  if (levelsDb.length === 0) return [];
  const sorted = Float32Array.from(levelsDb).sort();
  const floor = percentile(sorted, 0.1);
  const loud = percentile(sorted, 0.95);
  if (loud < SILENT_CLIP_DB) return [];
  const range = loud - floor;
  // No quiet stretch at all: one long utterance (or a steady bed), nothing to cut.
  if (range < 8) return [{ s: 0, e: levelsDb.length * FRAME_MS }];
  const on = floor + Math.max(6, 0.3 * range);
  const off = floor + Math.max(4, 0.2 * range);
  const spans: Span[] = [];
  let start = -1;
  let lastLoud = -1;
  const bridgeFrames = Math.ceil(minSilenceMs / FRAME_MS);
  for (let i = 0; i < levelsDb.length; i++) {
    const db = levelsDb[i]!;
    if (start < 0) {
      if (db >= on) {
        start = i;
        lastLoud = i;
      }
    } else if (db >= off) lastLoud = i;
    else if (i - lastLoud >= bridgeFrames) {
      spans.push({ s: start * FRAME_MS, e: (lastLoud + 1) * FRAME_MS });
      start = -1;
    }
  }
  if (start >= 0) spans.push({ s: start * FRAME_MS, e: (lastLoud + 1) * FRAME_MS });
  return spans.filter((sp) => sp.e - sp.s >= MIN_SPEECH_MS);
}

export const energyDetector: VoiceActivityDetector = {
  name: 'energy',
  async speech(pcmPath, opts) {
    const spans = energySpeech(await frameLevelsDb(pcmPath), opts.minSilenceMs);
    return spans.map((sp) => ({ s: sp.s, e: Math.min(sp.e, opts.durationMs) }));
  },
};
