/** Long audio goes to the recogniser in chunks cut inside pauses, with their offsets added back. */
import { open } from 'node:fs/promises';
import type { Span as Interval } from '../asr/types.ts';
import { PCM_BYTES_PER_MS } from '../asr/wav.ts';

export const MAX_CHUNK_MS = 60_000;

/** Chunks of at most maxChunkMs covering the speech, each cut at the middle of a pause where one exists. */
export function planChunks(durationMs: number, pauses: Interval[], maxChunkMs = MAX_CHUNK_MS): Interval[] {
  // Chunks that are pause from end to end hold no words.
  return cutAtPauses(durationMs, pauses, maxChunkMs).filter((c) => !pauses.some((p) => p.s <= c.s && p.e >= c.e));
}

/**
 * [0, durationMs] in consecutive pieces of at most maxMs, each cut at the middle of the longest
 * pause of the piece's second half (a sentence break more likely than a breath), else of its
 * second quarter; a hard cut only when there is no pause at all. `minCutPauseMs` prefers pauses
 * at least that long (both halves then stay pauses on their own), in the piece's last quarter
 * first, falling back to any pause.
 */
export function cutAtPauses(durationMs: number, pauses: Interval[], maxMs: number, minCutPauseMs = 0): Interval[] {
  const pieces: Interval[] = [];
  let start = 0;
  while (durationMs - start > maxMs) {
    const limit = start + maxMs;
    const within = (from: number, minMs: number) =>
      pauses
        .filter((p) => p.e - p.s >= minMs && (p.s + p.e) / 2 > from && (p.s + p.e) / 2 <= limit)
        .sort((a, b) => b.e - b.s - (a.e - a.s))[0];
    // With a preferred pause length (analysis windows), the last quarter first: windows near the
    // target length mean fewer of them for the same file.
    const best =
      (minCutPauseMs > 0 ? within(start + (maxMs * 3) / 4, minCutPauseMs) : undefined) ??
      within(start + maxMs / 2, minCutPauseMs) ??
      within(start + maxMs / 4, minCutPauseMs) ??
      within(start + maxMs / 2, 0) ??
      within(start + maxMs / 4, 0);
    const end = best ? Math.round((best.s + best.e) / 2) : limit;
    pieces.push({ s: start, e: end });
    start = end;
  }
  if (durationMs > start) pieces.push({ s: start, e: durationMs });
  return pieces;
}

/** Copies [s, e) ms of a raw s16le 16 kHz mono file into `outPath`. */
export async function slicePcm(pcmPath: string, chunk: Interval, outPath: string): Promise<void> {
  const from = Math.floor(chunk.s * PCM_BYTES_PER_MS) & ~1;
  const to = Math.floor(chunk.e * PCM_BYTES_PER_MS) & ~1;
  const src = await open(pcmPath, 'r');
  const dst = await open(outPath, 'w');
  try {
    const buf = Buffer.alloc(1 << 20);
    for (let pos = from; pos < to; ) {
      const { bytesRead } = await src.read(buf, 0, Math.min(buf.length, to - pos), pos);
      if (bytesRead === 0) break;
      await dst.write(buf, 0, bytesRead);
      pos += bytesRead;
    }
  } finally {
    await src.close();
    await dst.close();
  }
}

/** Runs `fn` over items with at most `limit` in flight, keeping order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
