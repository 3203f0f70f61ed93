import { type ProbeResult, ProbeResult as ProbeResultSchema } from './engine-protocol.ts';
import { AppError, ErrorCode } from './errors.ts';

/** Probing reads container headers (with Range requests), so even a 500 MB file answers quickly. */
const PROBE_TIMEOUT_MS = 60_000;

/** Thrown when the engine looked at the file and could not read it (its 422). */
export class UnreadableMediaError extends Error {
  override name = 'UnreadableMediaError';
}

const engineUrl = (env: Env, path: string) => `${env.ENGINE_URL.replace(/\/$/, '')}${path}`;

/**
 * Asks the media engine what a stored file holds. Returns null when no engine is configured
 * (ENGINE_URL empty) or it cannot be reached: the caller keeps the upload with unknown metadata
 * rather than failing it. A 422 means ffprobe could not read the file: UnreadableMediaError.
 */
export async function probeMedia(env: Env, url: string): Promise<ProbeResult | null> {
  if (!env.ENGINE_URL) return null;
  let res: Response;
  try {
    res = await fetch(engineUrl(env, '/probe'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url }),
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
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
