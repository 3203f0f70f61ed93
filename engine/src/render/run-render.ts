/** One render job: probe inputs, build the graph, encode to a temp file, then upload the results. */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { referencedMedia } from '../../../src/draft/schema.ts';
import { sliceDraft, timelineMs } from '../../../src/draft/slice-draft.ts';
import type { RenderRequest } from '../../../src/render/render-request.ts';
import type { EngineConfig } from '../config.ts';
import { runFfmpeg } from '../ffmpeg/run-ffmpeg.ts';
import { publicError } from '../http/public-error.ts';
import { putFile } from '../http/put-file.ts';
import type { Job } from '../jobs/job-store.ts';
import { buildRender } from './build-render.ts';
import { probeInputs } from './inputs.ts';
import { posterFrames, withPosterKeyframes } from './poster.ts';
import { runJoin } from './run-join.ts';
import { uploadOutputs } from './upload-outputs.ts';

export async function runRender(job: Job, req: RenderRequest, cfg: EngineConfig): Promise<void> {
  if (req.part?.kind === 'join') return runJoin(job, req, req.part);
  const signal = job.abort.signal;
  const part = req.part?.kind ?? 'whole';
  // A video chunk renders the slice of the whole draft it was sent (the engine slices, so the
  // Worker and every engine agree on one definition: src/draft/slice-draft.ts).
  const draft =
    req.part?.kind === 'video' ? sliceDraft(req.draft, req.part.start_frame, req.part.end_frame) : req.draft;
  const update = (patch: Partial<Job['state']>) => {
    if (!signal.aborted) job.state = { ...job.state, ...patch };
  };
  const dir = await mkdtemp(join(tmpdir(), 'engine-render-'));
  try {
    update({ status: 'rendering', progress: 0 });
    const inputs = await probeInputs(req.inputs, referencedMedia(draft), signal);
    const fontsDir = join(dir, 'fonts');
    await mkdir(fontsDir);
    for (const font of [cfg.fontLatin, cfg.fontCjk]) await symlink(font, join(fontsDir, basename(font)));
    const outputPath = join(dir, 'out.mp4');
    const plan = buildRender(draft, {
      part,
      inputs,
      tmpDir: dir,
      fontsDir,
      fonts: { latin: cfg.fontLatin, cjk: cfg.fontCjk },
      preset: req.preset ?? cfg.defaultPreset,
      outputPath,
    });
    for (const f of plan.files) await writeFile(f.path, f.content);
    // Poster candidates become keyframes, so choosing the poster reads five frames, not five GOPs.
    // A video chunk forces those of its window: the join's poster then reads them just as fast.
    const args = posterArgs(plan.args, req, plan.durationMs);
    await runFfmpeg(args, {
      signal,
      durationMs: plan.durationMs,
      // The last few percent are the upload.
      onProgress: (p) => update({ progress: Math.min(0.95, p * 0.95) }),
    });
    update({ status: 'uploading', progress: 0.95 });
    if (req.part) {
      // A part is written and checked by the join; nothing else goes with it.
      const size = await putFile(
        req.output.url,
        outputPath,
        req.part.kind === 'audio' ? 'audio/mp4' : 'video/mp4',
        signal,
      );
      const frames = req.part.kind === 'video' ? req.part.end_frame - req.part.start_frame : undefined;
      update({ status: 'done', progress: 1, output: { size, duration_ms: plan.durationMs, captions: false, frames } });
      return;
    }
    const hasCaptions = plan.captions.length > 0;
    const size = await uploadOutputs(
      req.output,
      { outputPath, dir, draft, durationMs: plan.durationMs, captions: plan.captions, jobId: job.state.job_id },
      signal,
    );
    update({
      status: 'done',
      progress: 1,
      output: { size, duration_ms: plan.durationMs, captions: hasCaptions },
    });
  } catch (err) {
    if (!signal.aborted) console.error(`render ${job.state.job_id} failed:`, (err as Error).message.slice(0, 2000));
    update({ status: 'failed', error: publicError(err) });
  } finally {
    job.finishedAt = Date.now();
    await rm(dir, { recursive: true, force: true });
  }
}

function posterArgs(args: string[], req: RenderRequest, planMs: number): string[] {
  if (req.part?.kind === 'video') {
    const { start_frame, end_frame } = req.part;
    const fps = req.draft.fps;
    const frames = posterFrames(timelineMs(req.draft), fps).filter((f) => f > start_frame && f < end_frame);
    if (frames.length === 0) return args;
    const times = frames.map((f) => ((f - start_frame) / fps).toFixed(6));
    return [...args.slice(0, -1), '-force_key_frames', times.join(','), ...args.slice(-1)];
  }
  return req.output.poster_url && !req.part ? withPosterKeyframes(args, planMs, req.draft.fps) : args;
}
