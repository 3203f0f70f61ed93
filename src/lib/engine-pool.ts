/**
 * The engine pool's vocabulary: which engines are configured, how busy an engine says it is, and
 * how a job names the engine it lives on. Pure apart from reading `env`; the network side
 * (health checks, picking, signed requests) is in engine-client.ts, which re-exports all of this.
 */

/** One engine of the pool: its base URL (from ENGINE_URLS / ENGINE_URL), or "container:<n>" in production. */
export type EngineId = string;

/** A job lives on the engine that started it. */
export interface EngineJobRef {
  engine: EngineId;
  jobId: string;
}

/** Transport trouble (no engine configured, none healthy, no answer): worth retrying elsewhere or later. */
export class EngineUnavailable extends Error {
  override name = 'EngineUnavailable';
}

/** A definite "no" from a live engine (its 4xx): retrying the same request will not help. */
export class EngineRejected extends Error {
  override name = 'EngineRejected';
}

/**
 * ENGINE_URLS (comma-separated) wins over ENGINE_URL (one engine, the older setting). Trailing
 * slashes are dropped so the same engine written twice counts once; order is kept (the first
 * engine is where old job ids without an engine live).
 */
export function parseEngineUrls(urls: string | undefined, url: string | undefined): EngineId[] {
  const list = (urls ?? '')
    .split(',')
    .map((u) => u.trim().replace(/\/+$/, ''))
    .filter((u) => u.length > 0);
  const chosen = list.length > 0 ? list : [(url ?? '').trim().replace(/\/+$/, '')].filter((u) => u.length > 0);
  return [...new Set(chosen)];
}

const CONTAINER_PREFIX = 'container:';

/** "container:<n>" → n, for the engines on Cloudflare Containers; null for a URL. */
export function containerIndex(engine: EngineId): number | null {
  if (!engine.startsWith(CONTAINER_PREFIX)) return null;
  const n = Number(engine.slice(CONTAINER_PREFIX.length));
  return Number.isInteger(n) && n >= 0 ? n : null;
}

/** The named container instance of engine n ("engine-0", …): the same name always reaches the same one. */
export const containerName = (n: number) => `engine-${n}`;

/**
 * The configured engines, in order; [] when none is configured. In production (ENGINE_CONTAINERS
 * > 0 and the ENGINE_CONTAINER binding) the pool is the containers container:0 … container:N-1;
 * otherwise ENGINE_URLS, else ENGINE_URL.
 */
export function engineIds(env: Env): EngineId[] {
  const containers = Number(env.ENGINE_CONTAINERS ?? 0);
  if (env.ENGINE_CONTAINER && Number.isInteger(containers) && containers > 0) {
    return Array.from({ length: containers }, (_, n) => `${CONTAINER_PREFIX}${n}`);
  }
  return parseEngineUrls(env.ENGINE_URLS, env.ENGINE_URL);
}

/** Whether any engine is configured (replaces every `if (env.ENGINE_URL)`). */
export function hasEngine(env: Env): boolean {
  return engineIds(env).length > 0;
}

/** Where the `engine@` part starts: job ids are `job_<uuid>`, never containing "@". */
const REF_SEPARATOR = '@';

/** "job_…@http://10.0.0.2:8788": what the renders.job_id column (and a preview's marker) holds. */
export function formatJobRef(ref: EngineJobRef): string {
  return `${ref.jobId}${REF_SEPARATOR}${ref.engine}`;
}

/** The inverse of formatJobRef; a bare job id (rows from before the pool) lives on the first engine. */
export function parseJobRef(s: string, env: Env): EngineJobRef {
  const at = s.indexOf(REF_SEPARATOR);
  if (at < 0) return { engine: engineIds(env)[0] ?? '', jobId: s };
  return { jobId: s.slice(0, at), engine: s.slice(at + 1) };
}

interface Queue {
  max?: unknown;
  running?: unknown;
  queued?: unknown;
}

const count = (v: unknown) => (Array.isArray(v) ? v.length : typeof v === 'number' && v >= 0 ? v : 0);
const share = (q: Queue | undefined) => {
  if (!q || typeof q !== 'object') return 0;
  const max = typeof q.max === 'number' && q.max > 0 ? q.max : 1;
  return (count(q.running) + count(q.queued)) / max;
};

/**
 * How busy an engine says it is, from its /health body: (running + queued renders) / render
 * slots + (running + queued analyses) / analysis slots. 0 is idle; 1 means one kind of work fills
 * its slots. Null when the body is not an engine's health answer (`ok` is not true).
 */
export function engineLoad(health: unknown): number | null {
  if (!health || typeof health !== 'object' || (health as { ok?: unknown }).ok !== true) return null;
  const h = health as { renders?: Queue; analyses?: Queue };
  return share(h.renders) + share(h.analyses);
}

/**
 * What one more job adds to an engine's load until its next health answer: one render slot's
 * share (1 / render slots). Picks made within the health cache's lifetime count this way, so a
 * burst of jobs spreads over the pool instead of all going to the engine that was idle a moment ago.
 */
export function pickWeight(health: unknown): number {
  const max = (health as { renders?: { max?: unknown } } | null)?.renders?.max;
  return typeof max === 'number' && max > 0 ? 1 / max : 1;
}

/**
 * The least busy of the scored engines (null load = unhealthy, skipped); ties go round-robin by
 * `turn` so a burst of equal engines spreads instead of piling onto the first. Null when none is healthy.
 */
export function chooseLeastBusy(scored: { engine: EngineId; load: number | null }[], turn: number): EngineId | null {
  const healthy = scored.filter((s): s is { engine: EngineId; load: number } => s.load !== null);
  if (healthy.length === 0) return null;
  const least = Math.min(...healthy.map((s) => s.load));
  const tied = healthy.filter((s) => s.load - least < 1e-9);
  return tied[((turn % tied.length) + tied.length) % tied.length]!.engine;
}
