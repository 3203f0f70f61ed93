import { deriveEngineSecret, signEngineRequest } from './engine-auth.ts';
import {
  chooseLeastBusy,
  containerIndex,
  containerName,
  type EngineId,
  EngineUnavailable,
  engineIds,
  engineLoad,
  hasEngine,
  pickWeight,
} from './engine-pool.ts';
import { type ProbeResult, ProbeResult as ProbeResultSchema } from './engine-protocol.ts';
import { AppError, ErrorCode } from './errors.ts';

export {
  chooseLeastBusy,
  containerIndex,
  containerName,
  type EngineId,
  type EngineJobRef,
  EngineRejected,
  EngineUnavailable,
  engineIds,
  engineLoad,
  formatJobRef,
  hasEngine,
  parseEngineUrls,
  parseJobRef,
  pickWeight,
} from './engine-pool.ts';

/** Probing reads container headers (with Range requests), so even a 500 MB file answers quickly. */
const PROBE_TIMEOUT_MS = 60_000;
/** A health check that takes longer than this counts as unhealthy: picking must stay quick. */
const HEALTH_TIMEOUT_MS = 2000;
/** How long one health answer is reused in this isolate, so a burst of picks does not fan out N² checks. */
const HEALTH_TTL_MS = 1000;

/** Thrown when the engine looked at the file and could not read it (its 422). */
export class UnreadableMediaError extends Error {
  override name = 'UnreadableMediaError';
}

/**
 * The one way the Worker calls an engine: every request signed (method, path, time, nonce, body
 * hash) with the key derived from SIGNING_SECRET; the engine refuses anything else
 * (engine/src/http/auth.ts). `path` starts with "/" and is signed as the engine will see it, so a
 * proxy in front of the engine must not rewrite paths. Without `engine`, the pool picks one
 * (pickEngine); with it, the request goes there, and only if that engine is still configured.
 * Throws EngineUnavailable when no engine can be chosen, or the network's error when the chosen
 * one does not answer.
 */
export async function engineFetch(
  env: Env,
  path: string,
  init: { method?: string; json?: unknown; timeoutMs: number; engine?: EngineId },
): Promise<Response> {
  const engine = init.engine ?? (await pickEngine(env));
  if (!engineIds(env).includes(engine)) {
    // A job ref naming an engine since removed from the pool: its job is lost (the workflow starts
    // it again elsewhere). The address goes to the log only, as for every engine error.
    console.warn(JSON.stringify({ level: 'warn', msg: 'engine not configured', engine, path }));
    throw new EngineUnavailable('the media engine of this job is no longer configured');
  }
  const method = init.method ?? (init.json === undefined ? 'GET' : 'POST');
  const body = init.json === undefined ? '' : JSON.stringify(init.json);
  const container = containerIndex(engine);
  // A container is reached through its Durable Object stub; the host name is not looked at, the path is signed.
  const url = container === null ? `${engine}${path}` : `http://engine${path}`;
  const u = new URL(url);
  const secret = await deriveEngineSecret(env.SIGNING_SECRET);
  const signed = await signEngineRequest(secret, method, u.pathname + u.search, body);
  const request = new Request(url, {
    method,
    headers: init.json === undefined ? signed : { ...signed, 'content-type': 'application/json' },
    body: init.json === undefined ? undefined : body,
    signal: AbortSignal.timeout(init.timeoutMs),
  });
  if (container === null) return fetch(request);
  return env.ENGINE_CONTAINER.getByName(containerName(container)).fetch(request);
}

interface Health {
  /** engineLoad of the answer; null = unhealthy. */
  load: number | null;
  /** pickWeight of the answer: what each pick since adds to `load`. */
  weight: number;
}

/**
 * Per isolate: each engine's last health answer (a promise, so concurrent picks share one request)
 * and how many jobs this isolate sent it since.
 */
const healthCache = new Map<EngineId, { atMs: number; health: Promise<Health>; picked: number }>();
/** Engines whose failed health check was logged, so a dead engine is one log line, not one per pick. */
const loggedDown = new Set<EngineId>();
let turn = 0;

/** A container asleep is healthy (the next request starts it) but costs a cold start: it weighs as half busy. */
const ASLEEP_LOAD = 0.5;

async function checkHealth(env: Env, engine: EngineId): Promise<Health> {
  let body: unknown = null;
  let why = '';
  const container = containerIndex(engine);
  if (container !== null) {
    // Asking a sleeping container's /health would start it (and every pick would keep all awake):
    // its state, read from its Durable Object, does not.
    const state = await env.ENGINE_CONTAINER.getByName(containerName(container))
      .getState()
      .catch(() => null);
    if (state && state.status !== 'running' && state.status !== 'healthy') return { load: ASLEEP_LOAD, weight: 1 };
  }
  try {
    const res = await engineFetch(env, '/health', { engine, timeoutMs: HEALTH_TIMEOUT_MS });
    body = res.ok ? await res.json().catch(() => null) : null;
    if (!res.ok) why = `HTTP ${res.status}`;
  } catch (err) {
    why = String(err);
  }
  const load = engineLoad(body);
  if (load === null && !loggedDown.has(engine)) {
    loggedDown.add(engine);
    const error = why || 'not an engine health answer';
    console.warn(JSON.stringify({ level: 'warn', msg: 'engine failed its health check: skipped', engine, error }));
  } else if (load !== null && loggedDown.delete(engine)) {
    console.log(JSON.stringify({ level: 'info', msg: 'engine healthy again', engine }));
  }
  return { load, weight: pickWeight(body) };
}

function cached(env: Env, engine: EngineId, nowMs: number) {
  let hit = healthCache.get(engine);
  if (!hit || nowMs - hit.atMs > HEALTH_TTL_MS) {
    hit = { atMs: nowMs, health: checkHealth(env, engine), picked: 0 };
    healthCache.set(engine, hit);
  }
  return hit;
}

/** Each engine's load (null = unhealthy), from a health answer at most HEALTH_TTL_MS old plus the picks since. */
export async function engineLoads(env: Env, engines: EngineId[] = engineIds(env)) {
  const nowMs = Date.now();
  return Promise.all(
    engines.map(async (engine) => {
      const hit = cached(env, engine, nowMs);
      const { load, weight } = await hit.health;
      return { engine, load: load === null ? null : load + hit.picked * weight };
    }),
  );
}

/**
 * The least busy healthy engine (engineLoad; ties round-robin), leaving out `exclude`. With one
 * engine configured it is returned without a health round trip, as before the pool: a dead single
 * engine shows up as the request's own network error. Throws EngineUnavailable when none is
 * configured, all are excluded, or none answers its health check.
 */
export async function pickEngine(env: Env, opts: { exclude?: EngineId[] } = {}): Promise<EngineId> {
  const all = engineIds(env);
  if (all.length === 0) {
    throw new EngineUnavailable('No media engine configured (ENGINE_URLS and ENGINE_URL are empty)');
  }
  const candidates = all.filter((e) => !opts.exclude?.includes(e));
  if (candidates.length === 0) throw new EngineUnavailable('no other media engine is configured');
  if (all.length === 1) return candidates[0]!;
  const chosen = chooseLeastBusy(await engineLoads(env, candidates), turn++);
  if (chosen === null) throw new EngineUnavailable('no media engine answered its health check');
  const hit = healthCache.get(chosen);
  if (hit) hit.picked++;
  return chosen;
}

/**
 * Asks the media engine what a stored file holds. Returns null when no engine is configured
 * or it cannot be reached: the caller keeps the upload with unknown metadata
 * rather than failing it. A 422 means ffprobe could not read the file: UnreadableMediaError.
 */
export async function probeMedia(env: Env, url: string): Promise<ProbeResult | null> {
  if (!hasEngine(env)) return null;
  let res: Response;
  try {
    res = await engineFetch(env, '/probe', { json: { url }, timeoutMs: PROBE_TIMEOUT_MS });
  } catch (err) {
    console.warn(JSON.stringify({ level: 'warn', msg: 'engine unreachable: probe skipped', error: String(err) }));
    return null;
  }
  if (res.status === 422) {
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    throw new UnreadableMediaError(body.error ?? 'the media engine could not read this file');
  }
  if (!res.ok) {
    console.warn(
      JSON.stringify({
        level: 'warn',
        msg: 'engine probe failed: probe skipped',
        status: res.status,
        body: (await res.text()).slice(0, 300),
      }),
    );
    return null;
  }
  const parsed = ProbeResultSchema.safeParse(await res.json());
  if (!parsed.success)
    throw new AppError(ErrorCode.INTERNAL, 'The media engine answered a probe with an unexpected shape');
  return parsed.data;
}
