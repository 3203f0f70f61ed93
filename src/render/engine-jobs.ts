import {
  type EngineId,
  type EngineJobRef,
  EngineRejected,
  EngineUnavailable,
  engineFetch,
  pickEngine,
} from '../lib/engine-client.ts';
import { JobState, ProbeResult } from '../lib/engine-protocol.ts';
import type { RenderRequest } from './render-request.ts';

/**
 * The render side of the engine's HTTP API (engine/src/app.ts): start, poll, cancel, probe.
 * Error semantics are the ones the workflow relies on (classes from src/lib/engine-pool.ts):
 * EngineUnavailable for transport trouble (worth retrying, and a sign that the engine may have
 * died), EngineRejected for a definite "no" from a live engine. A render starts on the engine the
 * pool picks and is polled and cancelled there (EngineJobRef).
 */

const REQUEST_TIMEOUT_MS = 15_000;

async function call(
  env: Env,
  engine: EngineId,
  path: string,
  init: { method?: string; json?: unknown } = {},
): Promise<Response> {
  try {
    return await engineFetch(env, path, { ...init, engine, timeoutMs: REQUEST_TIMEOUT_MS });
  } catch (err) {
    if (err instanceof EngineUnavailable) throw err;
    // The engine's address and the network error go to the log; the user reads only that it did not answer.
    console.warn(JSON.stringify({ level: 'warn', msg: 'engine unreachable', engine, path, error: String(err) }));
    throw new EngineUnavailable('the media engine did not answer');
  }
}

async function errorText(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    return (JSON.parse(text) as { error?: string }).error ?? text;
  } catch {
    return text || res.statusText;
  }
}

/** Starts a render on the least busy engine (not one of `exclude`, when another is healthy). */
export async function startEngineRender(
  env: Env,
  req: RenderRequest,
  opts: { exclude?: EngineId[] } = {},
): Promise<EngineJobRef> {
  const engine = await pickEngine(env, opts).catch((err) => {
    // Excluding the engine that lost the last attempt must not leave a pool of one with nothing.
    if (err instanceof EngineUnavailable && opts.exclude?.length) return pickEngine(env);
    throw err;
  });
  const res = await call(env, engine, '/render', { json: req });
  if (res.status >= 500) throw new EngineUnavailable(`Media engine error ${res.status}: ${await errorText(res)}`);
  if (!res.ok) throw new EngineRejected(`The media engine refused the render: ${await errorText(res)}`);
  const { job_id } = (await res.json()) as { job_id?: string };
  if (!job_id) throw new EngineUnavailable('Media engine answered without a job id');
  return { engine, jobId: job_id };
}

/** The job's state, or null when its engine no longer knows the job (it restarted). */
export async function getEngineJob(env: Env, ref: EngineJobRef): Promise<JobState | null> {
  const res = await call(env, ref.engine, `/jobs/${encodeURIComponent(ref.jobId)}`);
  if (res.status === 404) return null;
  if (!res.ok) throw new EngineUnavailable(`Media engine error ${res.status}: ${await errorText(res)}`);
  return JobState.parse(await res.json());
}

export async function cancelEngineJob(env: Env, ref: EngineJobRef): Promise<void> {
  const res = await call(env, ref.engine, `/jobs/${encodeURIComponent(ref.jobId)}`, { method: 'DELETE' });
  await res.body?.cancel();
}

/** Probes on whichever engine is least busy: any engine can read any signed URL. */
export async function probeUrl(env: Env, url: string): Promise<ProbeResult> {
  const res = await call(env, await pickEngine(env), '/probe', { json: { url } });
  if (!res.ok) throw new EngineRejected(`Probe failed: ${await errorText(res)}`);
  return ProbeResult.parse(await res.json());
}
