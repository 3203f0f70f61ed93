/**
 * The media engine as a Cloudflare Container (production only: `[env.production]` in
 * wrangler.toml binds it as ENGINE_CONTAINER). Each named instance ("engine-0", "engine-1", …) is
 * one engine of the pool; the Worker reaches it through the binding's stub, never over the public
 * internet, and signs every request as it signs requests to a local engine (src/lib/engine-client.ts).
 */
import { Container } from '@cloudflare/containers';
import { deriveEngineSecret } from '../lib/engine-auth.ts';

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

export class EngineContainer extends Container<Env> {
  override defaultPort = ENGINE_CONTAINER_PORT;
  /** An idle engine stops after this long; the next job starts it again (a cold start of some seconds). */
  override sleepAfter = '10m';
  /** Readiness is any HTTP answer; /health is the engine's one unsigned route, so it answers 200. */
  override pingEndpoint = 'localhost/health';

  override async fetch(request: Request): Promise<Response> {
    // Set before every request: the container starts (with these) on the first one after a sleep.
    this.envVars = await engineContainerEnv(this.env);
    return super.fetch(request);
  }
}
