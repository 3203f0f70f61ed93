/**
 * The end of a whole render and of a chunked render's join: captions, poster, then the MP4 last,
 * so that when the MP4 exists at its URL everything else is there too (the Worker checks only it).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Draft } from '../../../src/draft/schema.ts';
import type { RenderRequest } from '../../../src/render/render-request.ts';
import { putFile } from '../http/put-file.ts';
import type { CaptionEvent } from './captions/caption-events.ts';
import { toSrt, toVtt } from './captions/subtitle-files.ts';
import { makePoster } from './poster.ts';

export interface FinishedRender {
  outputPath: string;
  /** The job's temp folder: the caption files and the poster are written there. */
  dir: string;
  draft: Draft;
  durationMs: number;
  captions: CaptionEvent[];
  jobId: string;
}

/** Uploads what the render made; returns the MP4's size. */
export async function uploadOutputs(
  out: RenderRequest['output'],
  done: FinishedRender,
  signal: AbortSignal,
): Promise<number> {
  const { outputPath, dir, draft, durationMs, captions } = done;
  if (captions.length > 0 && out.srt_url) {
    const srt = join(dir, 'captions.srt');
    await writeFile(srt, toSrt(captions));
    await putFile(out.srt_url, srt, 'application/x-subrip', signal);
  }
  if (captions.length > 0 && out.vtt_url) {
    const vtt = join(dir, 'captions.vtt');
    await writeFile(vtt, toVtt(captions));
    await putFile(out.vtt_url, vtt, 'text/vtt', signal);
  }
  if (out.poster_url) {
    // A share page without a poster still plays: a poster that cannot be made never fails the render.
    try {
      const dims = { width: draft.w, height: draft.h, durationMs, fps: draft.fps };
      const poster = await makePoster(outputPath, dir, dims, signal);
      await putFile(out.poster_url, poster.path, 'image/jpeg', signal);
    } catch (err) {
      if (signal.aborted) throw err;
      console.warn(JSON.stringify({ level: 'warn', job: done.jobId, poster: (err as Error).message.slice(0, 300) }));
    }
  }
  return putFile(out.url, outputPath, 'video/mp4', signal);
}
