/**
 * The share poster: one representative frame of the rendered MP4 as a JPEG. A fixed time (the
 * first frame, or the middle) is often black (fade-in), a flash or an empty title card, so a
 * few candidate times are decoded small, in grey, and judged by pixel statistics: the frame
 * with the most detail (luma standard deviation) among those neither near-black nor blown out.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { posterSize } from '../../../src/render/poster-size.ts';
import { runFfmpeg } from '../ffmpeg/run-ffmpeg.ts';

/** Where to look, as fractions of the duration: late enough to skip fade-ins, early enough to skip fade-outs. */
const CANDIDATES = [0.1, 0.25, 0.4, 0.55, 0.7];
/** A frame whose mean luma (0..255) is outside this band reads as black or white in a thumbnail. */
const MEAN_FLOOR = 28;
const MEAN_CEILING = 235;
const PROBE_SIDE = 64;

export interface LumaStats {
  mean: number;
  stddev: number;
}

export function lumaStats(gray: Uint8Array): LumaStats {
  let sum = 0;
  let sq = 0;
  for (const v of gray) {
    sum += v;
    sq += v * v;
  }
  const n = Math.max(1, gray.length);
  const mean = sum / n;
  return { mean, stddev: Math.sqrt(Math.max(0, sq / n - mean * mean)) };
}

/** Detail wins among frames in the band; with none in it, the brightest frame beats a black one. */
export function pickFrame(stats: (LumaStats & { atMs: number })[]): number {
  const inBand = stats.filter((s) => s.mean >= MEAN_FLOOR && s.mean <= MEAN_CEILING);
  const pool = inBand.length > 0 ? inBand : stats;
  const key = (s: LumaStats) => (inBand.length > 0 ? s.stddev : s.mean);
  return pool.reduce((best, s) => (key(s) > key(best) ? s : best)).atMs;
}

/** Decodes one frame at `atMs`, scaled to PROBE_SIDE² grey pixels (cheap: the statistics need no detail). */
async function grayFrame(video: string, atMs: number, path: string, signal?: AbortSignal): Promise<Uint8Array> {
  await runFfmpeg(
    [
      ...['-loglevel', 'error', '-y', '-ss', (atMs / 1000).toFixed(3), '-i', video],
      ...['-frames:v', '1', '-vf', `scale=${PROBE_SIDE}:${PROBE_SIDE},format=gray`, '-f', 'rawvideo', path],
    ],
    { signal },
  );
  return new Uint8Array(await readFile(path));
}

/**
 * Writes `<dir>/poster.jpg` from `video` (width × height, durationMs long) and returns its path
 * and the time it shows.
 */
export async function makePoster(
  video: string,
  dir: string,
  v: { width: number; height: number; durationMs: number; fps: number },
  signal?: AbortSignal,
): Promise<{ path: string; atMs: number }> {
  // The last decodable frame starts one frame before the end.
  const lastMs = Math.max(0, v.durationMs - 1000 / v.fps);
  const times = [...new Set(CANDIDATES.map((f) => Math.min(lastMs, Math.round(v.durationMs * f))))];
  const stats = [];
  for (const [i, atMs] of times.entries()) {
    const gray = await grayFrame(video, atMs, join(dir, `poster-probe-${i}.gray`), signal);
    if (gray.length > 0) stats.push({ atMs, ...lumaStats(gray) });
  }
  const atMs = stats.length > 0 ? pickFrame(stats) : 0;
  const size = posterSize(v.width, v.height);
  const path = join(dir, 'poster.jpg');
  await runFfmpeg(
    [
      ...['-loglevel', 'error', '-y', '-ss', (atMs / 1000).toFixed(3), '-i', video, '-frames:v', '1'],
      ...['-vf', `scale=${size.width}:${size.height}:flags=lanczos`, '-pix_fmt', 'yuvj420p', '-q:v', '3', path],
    ],
    { signal },
  );
  return { path, atMs };
}
