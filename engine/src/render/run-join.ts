/**
 * The join of a chunked render: download the video chunks and the sound, put the chunks end to end
 * without re-encoding (concat demuxer, stream copy: the chunks share every encoder setting and each
 * starts on an IDR frame, build-render.ts), mux the sound, moov first; then captions and poster
 * exactly as a whole render makes them, and the uploads in the same order (the MP4 last).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { timelineFrames, timelineMs } from '../../../src/draft/slice-draft.ts';
import type { RenderPart } from '../../../src/lib/engine-protocol.ts';
import type { RenderRequest } from '../../../src/render/render-request.ts';
import { probe, runFfmpeg } from '../ffmpeg/run-ffmpeg.ts';
import { getFile } from '../http/get-file.ts';
import { PublicError, publicError } from '../http/public-error.ts';
import type { Job } from '../jobs/job-store.ts';
import { draftCaptionEvents } from './layers/captions.ts';
import { uploadOutputs } from './upload-outputs.ts';

type JoinPart = Extract<RenderPart, { kind: 'join' }>;

/** The concat demuxer's list: one `file` line per chunk, quoted for its parser. */
export function concatList(paths: string[]): string {
  return `ffconcat version 1.0\n${paths.map((p) => `file '${p.replace(/'/g, "'\\''")}'`).join('\n')}\n`;
}

/** ffmpeg arguments of the join: stream copy of the chunks' video and the part's sound. */
export function joinArgs(listPath: string, audioPath: string, durationMs: number, outputPath: string): string[] {
  return [
    '-y',
    // -safe 0: the list names the engine's own absolute temp paths, written just above.
    ...['-f', 'concat', '-safe', '0', '-i', listPath],
    ...['-i', audioPath],
    ...['-map', '0:v:0', '-map', '1:a:0'],
    '-c',
    'copy', // no re-encode: the join costs a file copy, not an encode
    ...['-t', (Math.round(durationMs) / 1000).toFixed(3)], // never past the timeline (the sound is exactly that long)
    ...['-movflags', '+faststart'], // moov first, as a whole render: playback starts before the download ends
    ...['-f', 'mp4', outputPath],
  ];
}

export async function runJoin(job: Job, req: RenderRequest, part: JoinPart): Promise<void> {
  const signal = job.abort.signal;
  const update = (patch: Partial<Job['state']>) => {
    if (!signal.aborted) job.state = { ...job.state, ...patch };
  };
  const dir = await mkdtemp(join(tmpdir(), 'engine-join-'));
  try {
    update({ status: 'rendering', progress: 0 });
    const { draft } = req;
    const chunkPaths = part.chunk_urls.map((_, i) => join(dir, `chunk-${i}.mp4`));
    const audioPath = join(dir, 'audio.m4a');
    await Promise.all([
      ...part.chunk_urls.map((url, i) => getFile(url, chunkPaths[i]!, signal)),
      getFile(part.audio_url, audioPath, signal),
    ]);
    update({ progress: 0.4 });
    const listPath = join(dir, 'chunks.txt');
    await writeFile(listPath, concatList(chunkPaths));
    const outputPath = join(dir, 'out.mp4');
    const durationMs = timelineMs(draft);
    await runFfmpeg(joinArgs(listPath, audioPath, durationMs, outputPath), { signal });
    // Every frame of the timeline, once: a missing or doubled chunk never reaches the output.
    const frames = await countFrames(outputPath, signal);
    const expected = timelineFrames(draft);
    if (frames !== expected) throw new PublicError(`the joined video has ${frames} frames, the timeline ${expected}`);
    update({ status: 'uploading', progress: 0.8 });
    const captions = draftCaptionEvents(draft);
    const size = await uploadOutputs(
      req.output,
      { outputPath, dir, draft, durationMs, captions, jobId: job.state.job_id },
      signal,
    );
    update({
      status: 'done',
      progress: 1,
      output: { size, duration_ms: durationMs, captions: captions.length > 0, frames },
    });
  } catch (err) {
    if (!signal.aborted) console.error(`join ${job.state.job_id} failed:`, (err as Error).message.slice(0, 2000));
    update({ status: 'failed', error: publicError(err) });
  } finally {
    job.finishedAt = Date.now();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Video frames in the file, from the container's packet count (no decode). */
async function countFrames(path: string, signal: AbortSignal): Promise<number> {
  const info = await probe(path, { signal, countPackets: true });
  const video = info.streams.find((s) => s.codec_type === 'video');
  return Number(video?.nb_read_packets ?? 0);
}
