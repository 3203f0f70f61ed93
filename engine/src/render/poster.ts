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
export function pickFrame(stats: (LumaStats & { frame: number })[]): number {
  const inBand = stats.filter((s) => s.mean >= MEAN_FLOOR && s.mean <= MEAN_CEILING);
  const pool = inBand.length > 0 ? inBand : stats;
  const key = (s: LumaStats) => (inBand.length > 0 ? s.stddev : s.mean);
  return pool.reduce((best, s) => (key(s) > key(best) ? s : best)).frame;
}

/** The candidate frames (frame numbers): distinct, inside the video. */
export function posterFrames(durationMs: number, fps: number): number[] {
  const last = Math.max(0, Math.floor((durationMs / 1000) * fps) - 1);
  return [...new Set(CANDIDATES.map((f) => Math.min(last, Math.round((durationMs / 1000) * f * fps))))];
}

/**
 * The encoder's arguments with a keyframe forced at every candidate frame, so reading a
 * candidate back decodes that one frame instead of a whole GOP from the previous keyframe
 * (3 s instead of 0.3 s for a 30 s 1080p render). Five extra keyframes cost a few KB.
 */
export function withPosterKeyframes(args: string[], durationMs: number, fps: number): string[] {
  const times = posterFrames(durationMs, fps).map((n) => (n / fps).toFixed(6));
  return [...args.slice(0, -1), '-force_key_frames', times.join(','), ...args.slice(-1)];
}

/**
 * Seek arguments that land on frame `n`, itself a keyframe: half a frame past it, without
 * accurate seeking, so ffmpeg starts at that keyframe and outputs it first.
 */
const seekTo = (n: number, fps: number) => ['-noaccurate_seek', '-ss', ((n + 0.5) / fps).toFixed(6)];

/** Decodes frame `n` scaled to PROBE_SIDE² grey pixels (cheap: the statistics need no detail). */
async function grayFrame(video: string, n: number, fps: number, path: string, signal?: AbortSignal) {
  await runFfmpeg(
    [
      ...['-loglevel', 'error', '-y', ...seekTo(n, fps), '-i', video],
      ...['-frames:v', '1', '-vf', `scale=${PROBE_SIDE}:${PROBE_SIDE},format=gray`, '-f', 'rawvideo', path],
    ],
    { signal },
  );
  return new Uint8Array(await readFile(path));
}

/**
 * Writes `<dir>/poster.jpg` from `video` (width × height, durationMs long, encoded with
 * withPosterKeyframes) and returns its path and the time it shows.
 */
export async function makePoster(
  video: string,
  dir: string,
  v: { width: number; height: number; durationMs: number; fps: number },
  signal?: AbortSignal,
): Promise<{ path: string; atMs: number }> {
  const stats = [];
  for (const n of posterFrames(v.durationMs, v.fps)) {
    const gray = await grayFrame(video, n, v.fps, join(dir, `poster-probe-${n}.gray`), signal);
    if (gray.length > 0) stats.push({ frame: n, ...lumaStats(gray) });
  }
  const frame = stats.length > 0 ? pickFrame(stats) : 0;
  const size = posterSize(v.width, v.height);
  const path = join(dir, 'poster.jpg');
  await runFfmpeg(
    [
      ...['-loglevel', 'error', '-y', ...seekTo(frame, v.fps), '-i', video, '-frames:v', '1'],
      ...['-vf', `scale=${size.width}:${size.height}:flags=lanczos`, '-pix_fmt', 'yuvj420p', '-q:v', '3', path],
    ],
    { signal },
  );
  return { path, atMs: Math.round((frame / v.fps) * 1000) };
}
