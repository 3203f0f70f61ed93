/**
 * The media engine as a Cloudflare Container (bound as ENGINE_CONTAINER by wrangler.toml's
 * `[[containers]]`; used when ENGINE_CONTAINERS > 0, which `npm run deploy` sets). Each named instance ("engine-0", "engine-1", …) is
 * one engine of the pool; the Worker reaches it through the binding's stub, never over the public
 * internet, and signs every request as it signs requests to a local engine (src/lib/engine-client.ts).
 */
import { Container } from '@cloudflare/containers';
import { deriveEngineSecret } from '../lib/engine-auth.ts';
import { engineLoad } from '../lib/engine-pool.ts';

/** Where the engine listens inside the image (engine/Dockerfile: ENGINE_PORT, EXPOSE). */
export const ENGINE_CONTAINER_PORT = 8788;

/**
 * What the engine process needs from the Worker's configuration: the key derived from
 * SIGNING_SECRET (never the secret itself: the engine can check the Worker's requests but not sign
 * blob URLs) and the public origin whose signed /api/blob/ URLs it may read and write.
 */
export async function engineContainerEnv(env: Env): Promise<Record<string, string>> {
  const origin = env.PUBLIC_BASE_URL;
  if (!/^https?:\/\//.test(origin)) {
    throw new Error('PUBLIC_BASE_URL must be set to the public origin of the Worker for the engine containers');
  }
  return {
    ENGINE_SECRET: await deriveEngineSecret(env.SIGNING_SECRET),
    ENGINE_WORKER_ORIGIN: new URL(origin).origin,
  };
}

/** How long an engine may sit without work before it is stopped (and `sleepAfter` below). */
export const ENGINE_IDLE_STOP_MS = 10 * 60_000;

/**
 * Whether a running engine should be stopped, decided on a /health answer. The pool asks every
 * running container's /health before picking (src/lib/engine-client.ts), and any request renews
 * the container's own sleep timer, so under steady traffic `sleepAfter` alone would keep every
 * engine awake. Work is every other request (jobs, their polls, probes, analyses): an engine
 * whose last work is older than the idle time and whose /health shows nothing running or queued
 * is stopped; the next job starts it again.
 */
export function idleStop(health: unknown, lastWorkMs: number, nowMs: number, idleMs = ENGINE_IDLE_STOP_MS): boolean {
  return nowMs - lastWorkMs >= idleMs && engineLoad(health) === 0;
}

export class EngineContainer extends Container<Env> {
  override defaultPort = ENGINE_CONTAINER_PORT;
  /** An idle engine stops after this long; the next job starts it again (a cold start of some seconds). */
  override sleepAfter = '10m';
  /** Readiness is any HTTP answer; /health is the engine's one unsigned route, so it answers 200. */
  override pingEndpoint = 'localhost/health';
  /** In memory: an object evicted and rebuilt counts its construction as work (the safe side). */
  private lastWorkMs = Date.now();

  override async fetch(request: Request): Promise<Response> {
    // Set before every request: the container starts (with these) on the first one after a sleep.
    this.envVars = await engineContainerEnv(this.env);
    const isHealth = new URL(request.url).pathname === '/health';
    if (!isHealth) this.lastWorkMs = Date.now();
    const res = await super.fetch(request);
    if (isHealth && res.ok && Date.now() - this.lastWorkMs >= ENGINE_IDLE_STOP_MS) {
      const health = await res
        .clone()
        .json()
        .catch(() => null);
      if (idleStop(health, this.lastWorkMs, Date.now())) {
        // After answering: this health check still counts the engine as up; the next pick finds it asleep.
        this.ctx.waitUntil(this.stop().catch(() => undefined));
      }
    }
    return res;
  }
}
