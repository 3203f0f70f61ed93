/**
 * Chunked renders (docs/rendering.md, "Chunked renders"): a long draft with several engines is
 * rendered as video chunks on different engines at once, its sound once for the whole timeline,
 * then joined without re-encoding. The RenderWorkflow runs each part as its own step; the bodies
 * are here. Each part's step starts its job on a picked engine and polls it to the end inside
 * the step, so a failed chunk is retried alone (on another engine when there is one) by the
 * step's retry config, and the steps that finished keep their results.
 */
import { NonRetryableError } from 'cloudflare:workflows';
import type { Draft } from '../draft/schema.ts';
import { type ChunkRange, planChunks, timelineFrames } from '../draft/slice-draft.ts';
import { type EngineId, EngineRejected, EngineUnavailable, engineIds, formatJobRef } from '../lib/engine-client.ts';
import type { JobState, RenderPart } from '../lib/engine-protocol.ts';
import { renderTimeoutMs } from '../lib/render-timeout.ts';
import { signBlobUrl } from '../lib/signing.ts';
import { renderPrefix } from '../lib/storage-keys.ts';
import { cancelEngineJob, getEngineJob, startEngineRender } from './engine-jobs.ts';
import { LOST_POLLS_LIMIT, type SignedRender } from './pipeline.ts';
import type { RenderRequest } from './render-request.ts';

/**
 * Drafts at least this long are chunked when more than one engine is configured (wrangler.toml
 * CHUNK_RENDER_MIN_MS overrides it). Below two minutes a single engine already finishes within
 * about a minute (docs/performance.md), and a chunked render pays for more input probes, the
 * audio part and the join.
 */
export const CHUNK_RENDER_MIN_MS = 120_000;
/** A chunk is at least a quarter of the threshold long (30 s by default): shorter ones cost more in set-up than they save. */
export const MIN_CHUNK_FRACTION = 4;

export function chunkThresholdMs(env: Env): number {
  const v = Number(env.CHUNK_RENDER_MIN_MS || '');
  return Number.isFinite(v) && v > 0 ? v : CHUNK_RENDER_MIN_MS;
}

/** How many chunks: 1 (a whole render, today's path) unless the draft is long and there are engines to share it. */
export function chunkCount(engines: number, draftMs: number, thresholdMs: number): number {
  if (engines < 2 || draftMs < thresholdMs) return 1;
  return Math.max(1, Math.min(engines, Math.ceil(draftMs / (thresholdMs / MIN_CHUNK_FRACTION))));
}

export interface PartFile {
  key: string;
  putUrl: string;
  getUrl: string;
}

/** The plan of a chunked render, made once in its own step (so a replay keeps it, whatever the pool is then). */
export interface ChunkedPlan {
  chunks: (ChunkRange & { file: PartFile })[];
  audio: PartFile;
  totalFrames: number;
}

/** Where a render's parts live: under its own folder, so the user's cleanup finds them with everything else. */
export const chunkKey = (userId: string, renderId: string, name: string) =>
  `${renderPrefix(userId, renderId)}chunks/${name}`;

/** null when the render goes whole; else its chunks, with signed URLs for each part's file. */
export async function planChunkedRender(
  env: Env,
  signed: SignedRender,
  userId: string,
  renderId: string,
  origin: string,
): Promise<ChunkedPlan | null> {
  const { draft } = JSON.parse(signed.requestJson) as { draft: Draft };
  const n = chunkCount(engineIds(env).length, signed.draftMs, chunkThresholdMs(env));
  if (n < 2) return null;
  const ttlS = Math.ceil(renderTimeoutMs(signed.draftMs) / 1000) + 3600;
  const file = async (name: string): Promise<PartFile> => {
    const key = chunkKey(userId, renderId, name);
    return {
      key,
      putUrl: await signBlobUrl(env.SIGNING_SECRET, origin, key, 'PUT', ttlS),
      getUrl: await signBlobUrl(env.SIGNING_SECRET, origin, key, 'GET', ttlS),
    };
  };
  const ranges = planChunks(draft, n);
  const chunks = await Promise.all(ranges.map(async (r, i) => ({ ...r, file: await file(`video-${i}.mp4`) })));
  return { chunks, audio: await file('audio.m4a'), totalFrames: timelineFrames(draft) };
}

/** The engine request of one part: the whole render's request, with the part and its own output. */
export function partRequest(signed: SignedRender, part: RenderPart, outputUrl?: string): RenderRequest {
  const whole = JSON.parse(signed.requestJson) as RenderRequest;
  return { ...whole, part, output: outputUrl ? { url: outputUrl } : whole.output };
}

/**
 * Share of the render's progress each part carries: the chunks 85% by their frames (their encode
 * is the work), the sound 5%, the join 10% (downloads, a stream copy, the uploads).
 */
export function partWeights(plan: ChunkedPlan): { chunks: number[]; audio: number; join: number } {
  return {
    chunks: plan.chunks.map((c) => (0.85 * (c.end_frame - c.start_frame)) / plan.totalFrames),
    audio: 0.05,
    join: 0.1,
  };
}

/** The render's progress: the weighted sum of its parts' (each 0..1). */
export function chunkedProgress(
  weights: ReturnType<typeof partWeights>,
  p: { chunks: number[]; audio: number; join: number },
) {
  const sum = weights.chunks.reduce((acc, w, i) => acc + w * (p.chunks[i] ?? 0), 0);
  return Math.min(1, sum + weights.audio * p.audio + weights.join * p.join);
}

/**
 * What one part's attempts know of each other within one run of the workflow. After a replay (a
 * crash or deploy) it starts empty: an earlier attempt's job may then still be running and write
 * the same chunk file, with the same frames, which is harmless.
 */
export interface PartRun {
  /** Engines this part's earlier attempts ran on, and the last job: a retry goes elsewhere and stops that job first. */
  tried: EngineId[];
  lastJob: { engine: EngineId; jobId: string } | null;
}

/**
 * Runs one part to the end inside a step: start it on the least busy engine (not one an earlier
 * attempt of this part used, when another is healthy), poll it, report its progress. Throws a
 * plain Error for what a retry may fix (an engine that failed the job, forgot it or stopped
 * answering), NonRetryableError for a refused request or a cancelled render.
 */
export async function runPart(
  env: Env,
  req: RenderRequest,
  run: PartRun,
  opts: {
    timeoutMs: number;
    onProgress: (p: number) => Promise<'failed' | unknown>;
    pollMs?: (n: number) => number;
    /** For the log line naming the engine that took the part. */
    label: { renderId: string; part: string };
  },
): Promise<NonNullable<JobState['output']>> {
  if (run.lastJob) await cancelEngineJob(env, run.lastJob).catch(() => undefined);
  let ref: { engine: EngineId; jobId: string };
  try {
    ref = await startEngineRender(env, req, { exclude: run.tried });
  } catch (err) {
    if (err instanceof EngineRejected) throw new NonRetryableError(err.message);
    throw err;
  }
  run.tried.push(ref.engine);
  run.lastJob = ref;
  // Which engine of the pool took which part: for the operator (and test/node/render-chunked-e2e.test.ts).
  const job = formatJobRef(ref);
  console.log(
    JSON.stringify({
      level: 'info',
      msg: 'engine job started',
      render_id: opts.label.renderId,
      part: opts.label.part,
      job,
    }),
  );
  const pollMs = opts.pollMs ?? ((n: number) => Math.min(5000, 500 * 2 ** Math.min(n, 4)));
  const deadline = Date.now() + opts.timeoutMs;
  let lost = 0;
  for (let n = 0; ; n++) {
    if (Date.now() > deadline) {
      await cancelEngineJob(env, ref).catch(() => undefined);
      throw new Error(`the part timed out after ${Math.round(opts.timeoutMs / 1000)} s`);
    }
    await new Promise((r) => setTimeout(r, pollMs(n)));
    let state: JobState | null;
    try {
      state = await getEngineJob(env, ref);
    } catch (err) {
      if (!(err instanceof EngineUnavailable)) throw err;
      if (++lost >= LOST_POLLS_LIMIT) throw new Error(`the media engine stopped answering (${err.message})`);
      continue;
    }
    lost = 0;
    if (!state) throw new Error('the media engine no longer knows the job (it restarted)');
    if ((await opts.onProgress(state.progress)) === 'failed') {
      await cancelEngineJob(env, ref).catch(() => undefined);
      throw new NonRetryableError('Cancelled by the user; credits returned');
    }
    if (state.status === 'done' && state.output) return state.output;
    if (state.status === 'failed' || state.status === 'cancelled') {
      throw new Error(`the media engine could not render this part: ${state.error ?? state.status}`);
    }
  }
}

/** Deletes the parts' files (idempotent: deleting what is gone is fine). */
export async function deleteParts(env: Env, plan: ChunkedPlan): Promise<number> {
  const keys = [...plan.chunks.map((c) => c.file.key), plan.audio.key];
  await env.MEDIA.delete(keys);
  return keys.length;
}
