/** One render job: probe inputs, build the graph, encode to a temp file, then upload the results. */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { referencedMedia } from '../../../src/draft/schema.ts';
import type { RenderRequest } from '../../../src/render/render-request.ts';
import type { EngineConfig } from '../config.ts';
import { runFfmpeg } from '../ffmpeg/run-ffmpeg.ts';
import { publicError } from '../http/public-error.ts';
import { putFile } from '../http/put-file.ts';
import type { Job } from '../jobs/job-store.ts';
import { buildRender } from './build-render.ts';
import { toSrt, toVtt } from './captions/subtitle-files.ts';
import { probeInputs } from './inputs.ts';
import { makePoster, withPosterKeyframes } from './poster.ts';

export async function runRender(job: Job, req: RenderRequest, cfg: EngineConfig): Promise<void> {
  const signal = job.abort.signal;
  const update = (patch: Partial<Job['state']>) => {
    if (!signal.aborted) job.state = { ...job.state, ...patch };
  };
  const dir = await mkdtemp(join(tmpdir(), 'engine-render-'));
  try {
    update({ status: 'rendering', progress: 0 });
    const inputs = await probeInputs(req.inputs, referencedMedia(req.draft), signal);
    const fontsDir = join(dir, 'fonts');
    await mkdir(fontsDir);
    for (const font of [cfg.fontLatin, cfg.fontCjk]) await symlink(font, join(fontsDir, basename(font)));
    const outputPath = join(dir, 'out.mp4');
    const plan = buildRender(req.draft, {
      inputs,
      tmpDir: dir,
      fontsDir,
      fonts: { latin: cfg.fontLatin, cjk: cfg.fontCjk },
      preset: req.preset ?? cfg.defaultPreset,
      outputPath,
    });
    for (const f of plan.files) await writeFile(f.path, f.content);
    // Poster candidates become keyframes, so choosing the poster reads five frames, not five GOPs.
    const args = req.output.poster_url ? withPosterKeyframes(plan.args, plan.durationMs, req.draft.fps) : plan.args;
    await runFfmpeg(args, {
      signal,
      durationMs: plan.durationMs,
      // The last few percent are the upload.
      onProgress: (p) => update({ progress: Math.min(0.95, p * 0.95) }),
    });
    update({ status: 'uploading', progress: 0.95 });
    const hasCaptions = plan.captions.length > 0;
    if (hasCaptions && req.output.srt_url) {
      const srt = join(dir, 'captions.srt');
      await writeFile(srt, toSrt(plan.captions));
      await putFile(req.output.srt_url, srt, 'application/x-subrip', signal);
    }
    if (hasCaptions && req.output.vtt_url) {
      const vtt = join(dir, 'captions.vtt');
      await writeFile(vtt, toVtt(plan.captions));
      await putFile(req.output.vtt_url, vtt, 'text/vtt', signal);
    }
    if (req.output.poster_url) {
      // A share page without a poster still plays: a poster that cannot be made never fails the render.
      try {
        const { draft } = req;
        const poster = await makePoster(
          outputPath,
          dir,
          { width: draft.w, height: draft.h, durationMs: plan.durationMs, fps: draft.fps },
          signal,
        );
        await putFile(req.output.poster_url, poster.path, 'image/jpeg', signal);
      } catch (err) {
        if (signal.aborted) throw err;
        console.warn(
          JSON.stringify({ level: 'warn', job: job.state.job_id, poster: (err as Error).message.slice(0, 300) }),
        );
      }
    }
    // The MP4 goes last: when it exists at the output URL, everything else is there too.
    const size = await putFile(req.output.url, outputPath, 'video/mp4', signal);
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
