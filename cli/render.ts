/**
 * Render the session's current draft: POST /api/render/proxy/lambda, poll its status with a
 * progress bar, then download the MP4 and any caption files next to it.
 */
import type { RenderStatusView } from '../src/render/status-schema.ts';
import type { Api } from './api-client.ts';
import { NetworkError, RenderFailedError } from './errors.ts';
import { type BarStream, formatFractionLine, ProgressBar } from './progress.ts';

/**
 * The poll answer, typed from the service's own schema (src/render/status-schema.ts, a type-only
 * import: nothing of src/ ships in the CLI's runtime) but read tolerantly, since services of the
 * same contract may leave fields out, send nulls, other statuses, dates as strings, or captions
 * as `srt_url`/`vtt_url` (see captionUrls).
 */
export type RenderStatus = Pick<RenderStatusView, 'render_id'> & {
  [K in Exclude<keyof RenderStatusView, 'render_id' | 'status' | 'expires_at'>]?: RenderStatusView[K] | null;
} & { status: string; expires_at?: number | string | null; [key: string]: unknown };

export interface StateData {
  draft: { t?: { tt?: number; sg?: unknown[] }[] } & Record<string, unknown>;
  video_infos?: unknown[];
  generated_media?: unknown[];
  draft_version?: number;
}

const MAX_POLL_NETWORK_FAILURES = 5;

export const newRenderId = (nowMs = Date.now()) => `render_${nowMs}`;

export function draftHasContent(draft: StateData['draft'] | null | undefined): boolean {
  return Array.isArray(draft?.t) && draft.t.some((t) => Array.isArray(t.sg) && t.sg.length > 0);
}

/**
 * Caption file URLs, whichever shape the service gives them in: `srt_url`/`vtt_url`,
 * `captions: {srt, vtt}` or `captions: {srt_url, vtt_url}`.
 */
export function captionUrls(status: RenderStatus): { srt?: string; vtt?: string } {
  const out: { srt?: string; vtt?: string } = {};
  const caps = (status.captions ?? status.subtitles) as Record<string, unknown> | undefined;
  const pick = (...vals: unknown[]) => vals.find((v): v is string => typeof v === 'string' && v.length > 0);
  const srt = pick(status.srt_url, caps?.srt_url, caps?.srt);
  const vtt = pick(status.vtt_url, caps?.vtt_url, caps?.vtt);
  if (srt) out.srt = srt;
  if (vtt) out.vtt = vtt;
  return out;
}

export async function startRender(
  api: Api,
  sessionId: string,
  draft: unknown,
  quality = 'high',
): Promise<RenderStatus> {
  return api.post<RenderStatus>('/api/render/proxy/lambda', {
    id: newRenderId(),
    sessionId,
    draft,
    output: { format: 'mp4', quality },
  });
}

export interface PollOptions {
  intervalMs?: number;
  timeoutMs?: number;
  quiet?: boolean;
  stream?: BarStream;
  signal?: AbortSignal;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export async function waitForRender(api: Api, renderId: string, opts: PollOptions = {}): Promise<RenderStatus> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30 * 60_000);
  let status: RenderStatus = { render_id: renderId, status: 'queued', progress: 0 };
  const bar = new ProgressBar(
    (elapsedMs) => ({
      line: formatFractionLine('render', status.progress ?? 0, status.status, elapsedMs),
      fraction: status.progress ?? 0,
    }),
    opts.stream,
    !opts.quiet,
  );
  let networkFailures = 0;
  for (;;) {
    try {
      status = await api.get<RenderStatus>(`/api/render/proxy/lambda/${encodeURIComponent(renderId)}`);
      networkFailures = 0;
    } catch (err) {
      // Polling is idempotent: ride out a service restart or a dropped connection or two.
      if (!(err instanceof NetworkError) || ++networkFailures > MAX_POLL_NETWORK_FAILURES) throw err;
      await sleep(2000 * networkFailures, opts.signal);
      continue;
    }
    bar.update();
    if (status.status === 'done') break;
    if (status.status === 'failed') {
      bar.done();
      throw new RenderFailedError(renderId, status.error || 'the service gave no reason');
    }
    if (Date.now() > deadline) {
      bar.done();
      throw new RenderFailedError(
        renderId,
        `still ${status.status} after ${Math.round((opts.timeoutMs ?? 0) / 1000)} s; check later with \`openedit render --id ${renderId}\``,
      );
    }
    await sleep(opts.intervalMs ?? 1000, opts.signal);
  }
  bar.done();
  if (!status.url) throw new RenderFailedError(renderId, 'the render is done but the service gave no download url');
  return status;
}
