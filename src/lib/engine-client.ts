import { deriveEngineSecret, signEngineRequest } from './engine-auth.ts';
import { type ProbeResult, ProbeResult as ProbeResultSchema } from './engine-protocol.ts';
import { AppError, ErrorCode } from './errors.ts';

/** Probing reads container headers (with Range requests), so even a 500 MB file answers quickly. */
const PROBE_TIMEOUT_MS = 60_000;

/** Thrown when the engine looked at the file and could not read it (its 422). */
export class UnreadableMediaError extends Error {
  override name = 'UnreadableMediaError';
}

const engineUrl = (env: Env, path: string) => `${env.ENGINE_URL.replace(/\/+$/, '')}${path}`;

/**
 * The one way the Worker calls the engine: every request signed (method, path, time, nonce, body
 * hash) with the key derived from SIGNING_SECRET; the engine refuses anything else
 * (engine/src/http/auth.ts). `path` starts with "/" and is signed as the engine will see it, so a
 * proxy in front of the engine must not rewrite paths.
 */
export async function engineFetch(
  env: Env,
  path: string,
  init: { method?: string; json?: unknown; timeoutMs: number },
): Promise<Response> {
  const method = init.method ?? (init.json === undefined ? 'GET' : 'POST');
  const body = init.json === undefined ? '' : JSON.stringify(init.json);
  const url = engineUrl(env, path);
  const u = new URL(url);
  const secret = await deriveEngineSecret(env.SIGNING_SECRET);
  const signed = await signEngineRequest(secret, method, u.pathname + u.search, body);
  return fetch(url, {
    method,
    headers: init.json === undefined ? signed : { ...signed, 'content-type': 'application/json' },
    body: init.json === undefined ? undefined : body,
    signal: AbortSignal.timeout(init.timeoutMs),
  });
}

/**
 * Asks the media engine what a stored file holds. Returns null when no engine is configured
 * (ENGINE_URL empty) or it cannot be reached: the caller keeps the upload with unknown metadata
 * rather than failing it. A 422 means ffprobe could not read the file: UnreadableMediaError.
 */
export async function probeMedia(env: Env, url: string): Promise<ProbeResult | null> {
  if (!env.ENGINE_URL) return null;
  let res: Response;
  try {
    res = await engineFetch(env, '/probe', { json: { url }, timeoutMs: PROBE_TIMEOUT_MS });
  } catch (err) {
    console.warn(
      JSON.stringify({
        level: 'warn',
        msg: 'engine unreachable: probe skipped',
        engine: env.ENGINE_URL,
        error: String(err),
      }),
    );
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
