/** bench:scale's seam checks: decoded frames and sound of a chunked render against the whole render's. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { grayFrames, meanAbsDiff, pcmMono48k } from '../engine/test/media.ts';
import type { ChunkRange } from '../src/draft/slice-draft.ts';

const exec = promisify(execFile);

/** Gray 96×32 thumbnails of testsrc2's clock corner, one per frame: enough to tell neighbour frames apart. */
const clockThumbs = (path: string) => grayFrames(path, 'crop=660:216:0:0,scale=96:32', 96, 32);

export async function countFrames(path: string): Promise<number> {
  const { stdout } = await exec('ffprobe', [
    ...['-v', 'error', '-select_streams', 'v:0', '-count_frames'],
    ...['-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', path],
  ]);
  return Number(stdout.trim());
}

/** Frame count, frames matched to the whole render's around every seam, sound continuous and equal to the whole's. */
export async function seamChecks(joined: string, whole: string, chunks: ChunkRange[], total: number, fps: number) {
  const frames = await countFrames(joined);
  const [j, w] = [await clockThumbs(joined), await clockThumbs(whole)];
  let matched = 0;
  let checked = 0;
  for (const c of chunks.slice(1)) {
    for (let f = c.start_frame - 3; f <= c.start_frame + 3; f++) {
      if (f < 1 || f >= total - 1) continue;
      checked++;
      const same = meanAbsDiff(j[f]!, w[f]!);
      if (same < meanAbsDiff(j[f]!, w[f - 1]!) && same < meanAbsDiff(j[f]!, w[f + 1]!)) matched++;
    }
  }
  const [a, b] = [await pcmMono48k(joined), await pcmMono48k(whole)];
  let maxDiff = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
  let maxJump = 0;
  let longestSilenceMs = 0;
  for (const c of chunks.slice(1)) {
    const at = Math.round((c.start_frame / fps) * 48000);
    let run = 0;
    for (let i = at - 4800; i < at + 4800; i++) {
      maxJump = Math.max(maxJump, Math.abs(a[i]! - a[i - 1]!));
      run = Math.abs(a[i]!) < 1e-4 ? run + 1 : 0;
      longestSilenceMs = Math.max(longestSilenceMs, run / 48);
    }
  }
  return { frames, matched, checked, maxDiff, maxJump, longestSilenceMs, samples: a.length - b.length };
}
