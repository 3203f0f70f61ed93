/**
 * Pauses: silences found by ffmpeg's silencedetect with a threshold set relative to the clip's
 * own speech level (a quiet phone recording and a loud podcast get the same treatment).
 */
import { createReadStream } from 'node:fs';
import { PCM_BYTES_PER_MS } from '../asr/wav.ts';
import { runFfmpeg } from '../ffmpeg/run-ffmpeg.ts';

export interface Interval {
  s: number;
  e: number;
}

const WINDOW_MS = 50;
/** Windows quieter than this are not counted when estimating the speech level. */
const FLOOR_DB = -70;
const THRESHOLD_MIN_DB = -65;
const THRESHOLD_MAX_DB = -18;

/** The level (dBFS) loud speech reaches: the 90th percentile of 50 ms RMS windows. */
export async function speechLevelDb(pcmPath: string): Promise<number | null> {
  const levels: number[] = [];
  const windowBytes = WINDOW_MS * PCM_BYTES_PER_MS;
  let carry = Buffer.alloc(0);
  for await (const chunk of createReadStream(pcmPath, { highWaterMark: windowBytes * 64 })) {
    let buf = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let off = 0;
    for (; off + windowBytes <= buf.length; off += windowBytes) {
      let sum = 0;
      for (let i = off; i < off + windowBytes; i += 2) {
        const v = buf.readInt16LE(i) / 32768;
        sum += v * v;
      }
      const db = 10 * Math.log10(sum / (windowBytes / 2) + 1e-12);
      if (db > FLOOR_DB) levels.push(db);
    }
    carry = Buffer.from(buf.subarray(off));
    buf = carry;
  }
  if (levels.length === 0) return null;
  levels.sort((a, b) => a - b);
  return levels[Math.floor(levels.length * 0.9)];
}

export function pauseThresholdDb(speechDb: number, belowSpeechDb: number): number {
  return Math.min(THRESHOLD_MAX_DB, Math.max(THRESHOLD_MIN_DB, speechDb - belowSpeechDb));
}

/** Silences of at least `minPauseMs` in a raw s16le 16 kHz mono file (ms). */
export async function detectPauses(
  pcmPath: string,
  durationMs: number,
  opts: { thresholdDb: number; minPauseMs: number; signal?: AbortSignal },
): Promise<Interval[]> {
  const { stderr } = await runFfmpeg(
    [
      ...['-f', 's16le', '-ar', '16000', '-ac', '1', '-i', pcmPath], // raw PCM has no header to describe it
      ...['-af', `silencedetect=noise=${opts.thresholdDb.toFixed(1)}dB:duration=${opts.minPauseMs / 1000}`],
      ...['-f', 'null', '-'],
    ],
    { signal: opts.signal },
  );
  return parseSilencedetect(stderr, durationMs);
}

export function parseSilencedetect(stderr: string, durationMs: number): Interval[] {
  const pauses: Interval[] = [];
  let start: number | null = null;
  for (const m of stderr.matchAll(/silence_(start|end): (-?\d+(?:\.\d+)?)/g)) {
    const ms = Math.max(0, Math.round(Number(m[2]) * 1000));
    if (m[1] === 'start') start = ms;
    else if (start !== null) {
      pauses.push({ s: start, e: Math.min(ms, durationMs) });
      start = null;
    }
  }
  // A silence running to the end of the file has no silence_end line.
  if (start !== null && start < durationMs) pauses.push({ s: start, e: durationMs });
  return pauses;
}

/** Speech: the complement of the pauses within [0, durationMs]. */
export function complement(pauses: Interval[], durationMs: number): Interval[] {
  const out: Interval[] = [];
  let cursor = 0;
  for (const p of [...pauses].sort((a, b) => a.s - b.s)) {
    if (p.s > cursor) out.push({ s: cursor, e: p.s });
    cursor = Math.max(cursor, p.e);
  }
  if (cursor < durationMs) out.push({ s: cursor, e: durationMs });
  return out.filter((i) => i.e - i.s > 0);
}
