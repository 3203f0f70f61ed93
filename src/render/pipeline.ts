import { NonRetryableError } from 'cloudflare:workflows';
import { type Draft, DraftSchema, TrackType } from '../draft/schema.ts';
import type { MediaRecord } from '../durable/media.ts';
import type { RenderRecord } from '../durable/renders.ts';
import type { UserClient } from '../durable/user-stub.ts';
import { EngineRejected, EngineUnavailable, formatJobRef, hasEngine, parseJobRef } from '../lib/engine-client.ts';
import type { JobState } from '../lib/engine-protocol.ts';
import { hmacHex } from '../lib/ids.ts';
import { fetchOutbound } from '../lib/outbound-url.ts';
import { renderTimeoutMs } from '../lib/render-timeout.ts';
import { signBlobUrl } from '../lib/signing.ts';
import { getEngineJob, probeUrl, startEngineRender } from './engine-jobs.ts';
import { hasCaptions, renderKeys } from './render-keys.ts';
import type { RenderRequest } from './render-request.ts';
import { renderStatusView } from './status.ts';
import type { RenderWebhookBody } from './status-schema.ts';

/**
 * The bodies of the RenderWorkflow's steps. Each is idempotent on its own: the workflow may run
 * any of them again after a crash or a retry.
 */
export const MAX_ENGINE_ATTEMPTS = 3;
/** Consecutive polls without an answer (or with "unknown job") before the engine counts as dead. */
export const LOST_POLLS_LIMIT = 3;

export { renderTimeoutMs } from '../lib/render-timeout.ts';

/**
 * Backoff between polls: 1 s, 2 s, 4 s … capped at 15 s, or at timeout/200 for long renders, so
 * an instance stays within a few hundred steps (Workflows limit steps per instance).
 */
export const pollDelayMs = (n: number, timeoutMs: number) =>
  Math.min(Math.max(15_000, Math.ceil(timeoutMs / 200)), 1000 * 2 ** Math.min(n - 1, 6));

const qualityPreset = { low: 'superfast', medium: 'veryfast', high: undefined } as const;

/** `lost`: no answer (maybe busy, maybe dead); `gone`: the engine answers but forgot the job (it restarted). */
export type PollResult = Omit<JobState, 'status'> & { status: JobState['status'] | 'lost' | 'gone' };

/** Step results must be serialisable: the request (with its passthrough draft) travels as JSON. */
export interface SignedRender {
  requestJson: string;
  draftMs: number;
  fps: number;
  /** `poster` is absent in steps recorded before posters existed (a replayed instance). */
  keys: { out: string; srt: string | null; vtt: string | null; poster?: string };
}

export function parseDraft(r: RenderRecord): Draft {
  return DraftSchema.parse(JSON.parse(r.draft));
}

export async function signRender(
  env: Env,
  user: UserClient,
  r: RenderRecord,
  userId: string,
  origin: string,
): Promise<SignedRender> {
  const draft = parseDraft(r);
  const ttlS = Math.ceil(renderTimeoutMs(draft.d) / 1000) + 3600;
  const sign = (key: string, method: 'GET' | 'PUT') => signBlobUrl(env.SIGNING_SECRET, origin, key, method, ttlS);
  const inputs = await signInputs(draft, await user.listMedia(r.session_id), (key) => sign(key, 'GET'));
  const keys = renderKeys(userId, r.render_id, hasCaptions(draft));
  const output: RenderRequest['output'] = { url: await sign(keys.out, 'PUT') };
  if (keys.srt) output.srt_url = await sign(keys.srt, 'PUT');
  if (keys.vtt) output.vtt_url = await sign(keys.vtt, 'PUT');
  output.poster_url = await sign(keys.poster, 'PUT');
  const preset = qualityPreset[r.output.quality];
  const request: RenderRequest = { draft, inputs, output, ...(preset ? { preset } : {}) };
  return { requestJson: JSON.stringify(request), draftMs: draft.d, fps: draft.fps, keys };
}

/** Signed GET URLs of the media a draft uses (media id → url, kind); a media gone from the session is fatal. */
export async function signInputs(
  draft: Draft,
  mediaList: MediaRecord[],
  sign: (key: string) => Promise<string>,
): Promise<RenderRequest['inputs']> {
  const media = new Map(mediaList.map((m) => [m.media_id, m]));
  const inputs: RenderRequest['inputs'] = {};
  for (const track of draft.t) {
    if (track.tt === TrackType.text) continue;
    for (const seg of track.sg) {
      const m = media.get(seg.src);
      if (!m) throw new NonRetryableError(`Media ${seg.src} is gone from the session`);
      inputs[seg.src] ??= { url: await sign(m.r2_key), kind: m.kind };
    }
  }
  return inputs;
}

/** Starts the attempt's engine job, or returns the one already started for it (never two). */
export async function startJob(
  env: Env,
  user: UserClient,
  renderId: string,
  attempt: number,
  signed: SignedRender,
): Promise<string> {
  const current = await user.getRender(renderId);
  if (current?.job_id && current.engine_attempt === attempt) return current.job_id;
  // A later attempt means the last engine lost the job: start it on another one when there is one.
  const exclude = current?.job_id ? [parseJobRef(current.job_id, env).engine] : [];
  try {
    const ref = await startEngineRender(env, JSON.parse(signed.requestJson) as RenderRequest, { exclude });
    const jobRef = formatJobRef(ref);
    await user.setRenderJob(renderId, attempt, jobRef);
    // Which engine of the pool took the render: for the operator (and test/node/engine-pool.test.ts).
    console.log(
      JSON.stringify({ level: 'info', msg: 'engine job started', render_id: renderId, attempt, job: jobRef }),
    );
    return jobRef;
  } catch (err) {
    if (err instanceof EngineRejected) throw new NonRetryableError(err.message);
    throw err;
  }
}

/** `jobRef` as startJob returned it (formatJobRef: the job and the engine it lives on). */
export async function pollJob(env: Env, jobRef: string): Promise<PollResult> {
  const { jobId } = parseJobRef(jobRef, env);
  try {
    const state = await getEngineJob(env, parseJobRef(jobRef, env));
    return (
      state ?? {
        job_id: jobId,
        status: 'gone',
        progress: 0,
        error: 'the media engine no longer knows this job (it restarted)',
      }
    );
  } catch (err) {
    if (err instanceof EngineUnavailable) return { job_id: jobId, status: 'lost', progress: 0, error: err.message };
    throw err;
  }
}

export interface VerifiedOutput {
  size: number;
  durationMs: number | null;
  srtKey: string | null;
  vttKey: string | null;
  /** The share poster (JPEG): made best effort by the engine, so it may be missing. */
  posterKey: string | null;
}

/** The output exists, is not empty, and lasts as long as the draft (within a frame). */
export async function verifyOutput(
  env: Env,
  origin: string,
  signed: SignedRender,
  job: PollResult,
): Promise<VerifiedOutput> {
  const head = await env.MEDIA.head(signed.keys.out);
  if (!head || head.size === 0) throw new NonRetryableError('The engine reported success but wrote no output file');
  let durationMs = job.output?.duration_ms ?? null;
  if (hasEngine(env)) {
    try {
      const url = await signBlobUrl(env.SIGNING_SECRET, origin, signed.keys.out, 'GET', 600);
      durationMs = (await probeUrl(env, url)).duration_ms ?? durationMs;
    } catch (err) {
      // A finished file is not thrown away because the prober is briefly down; the engine's own figure stands.
      if (!(err instanceof EngineUnavailable))
        throw new NonRetryableError(`The output is unreadable: ${(err as Error).message}`);
    }
  }
  const frameMs = 1000 / signed.fps;
  if (durationMs !== null && Math.abs(durationMs - signed.draftMs) > frameMs + 1) {
    throw new NonRetryableError(
      `The output lasts ${Math.round(durationMs)} ms, the draft ${signed.draftMs} ms (more than a frame apart)`,
    );
  }
  const exists = async (key: string | null) => (key && (await env.MEDIA.head(key)) ? key : null);
  return {
    size: head.size,
    durationMs,
    srtKey: await exists(signed.keys.srt),
    vttKey: await exists(signed.keys.vtt),
    posterKey: await exists(signed.keys.poster ?? null),
  };
}

/** POSTs the final state to the client's webhook, signed: `X-Signature: hex(HMAC-SHA256(body, SIGNING_SECRET))`. */
export async function sendWebhook(
  env: Env,
  user: UserClient,
  renderId: string,
  origin: string,
  url: string,
): Promise<number> {
  const r = await user.getRender(renderId);
  if (!r) throw new NonRetryableError(`render ${renderId} vanished`);
  // Sent after the render is marked, so it is done or failed (a cancelled render is failed).
  const payload: RenderWebhookBody = {
    event: r.status === 'done' ? 'render.done' : 'render.failed',
    data: await renderStatusView(env, origin, r),
  };
  const body = JSON.stringify(payload);
  // Checked again here, not only at POST time: redirects are refused, and the check list may have grown.
  const res = await fetchOutbound('webhook_url', url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-signature': await hmacHex(env.SIGNING_SECRET, body),
      'x-render-id': renderId,
    },
    body,
    signal: AbortSignal.timeout(30_000),
    allowPrivate: env.ALLOW_PRIVATE_OUTBOUND === '1',
  });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`webhook answered ${res.status}`);
  return res.status;
}
