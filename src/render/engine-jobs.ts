import { engineFetch } from '../lib/engine-client.ts';
import { JobState, ProbeResult } from '../lib/engine-protocol.ts';
import type { RenderRequest } from './render-request.ts';

/**
 * The render side of the engine's HTTP API (engine/src/app.ts): start, poll, cancel, probe.
 * Kept beside the workflow rather than in a shared client so its error semantics stay the
 * ones the workflow relies on: EngineUnavailable for transport trouble (worth retrying, and a
 * sign that the engine may have died), EngineRejected for a definite "no" from a live engine.
 */
export class EngineUnavailable extends Error {
  override name = 'EngineUnavailable';
}
export class EngineRejected extends Error {
  override name = 'EngineRejected';
}

const REQUEST_TIMEOUT_MS = 15_000;

async function call(env: Env, path: string, init: { method?: string; json?: unknown } = {}): Promise<Response> {
  if (!env.ENGINE_URL) throw new EngineUnavailable('No media engine configured (ENGINE_URL is empty)');
  try {
    return await engineFetch(env, path, { ...init, timeoutMs: REQUEST_TIMEOUT_MS });
  } catch (err) {
    // The engine's address and the network error go to the log; the user reads only that it did not answer.
    console.warn(JSON.stringify({ level: 'warn', msg: 'engine unreachable', path, error: String(err) }));
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

export async function startEngineRender(env: Env, req: RenderRequest): Promise<string> {
  const res = await call(env, '/render', { json: req });
  if (res.status >= 500) throw new EngineUnavailable(`Media engine error ${res.status}: ${await errorText(res)}`);
  if (!res.ok) throw new EngineRejected(`The media engine refused the render: ${await errorText(res)}`);
  const { job_id } = (await res.json()) as { job_id?: string };
  if (!job_id) throw new EngineUnavailable('Media engine answered without a job id');
  return job_id;
}

/** The job's state, or null when the engine no longer knows the job (it restarted). */
export async function getEngineJob(env: Env, jobId: string): Promise<JobState | null> {
  const res = await call(env, `/jobs/${encodeURIComponent(jobId)}`);
  if (res.status === 404) return null;
  if (!res.ok) throw new EngineUnavailable(`Media engine error ${res.status}: ${await errorText(res)}`);
  return JobState.parse(await res.json());
}

export async function cancelEngineJob(env: Env, jobId: string): Promise<void> {
  const res = await call(env, `/jobs/${encodeURIComponent(jobId)}`, { method: 'DELETE' });
  await res.body?.cancel();
}

export async function probeUrl(env: Env, url: string): Promise<ProbeResult> {
  const res = await call(env, '/probe', { json: { url } });
  if (!res.ok) throw new EngineRejected(`Probe failed: ${await errorText(res)}`);
  return ProbeResult.parse(await res.json());
}
