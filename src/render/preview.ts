/**
 * Proxy previews: a quick, low-resolution render of a session's current draft, so the editor can
 * play the cut seconds after a chat turn. 360 px on the short side, x264 ultrafast, no credits,
 * no Workflow: the engine's job id is kept in R2 beside the output and each poll asks the engine.
 * Cached per draft version and content hash, the last KEEP_PER_SESSION versions of a session, so
 * undo and redo to a version just previewed answer at once; older ones are deleted (and stopped).
 */
import { type Draft, DraftSchema, TrackType } from '../draft/schema.ts';
import type { UserClient } from '../durable/user-stub.ts';
import { EngineRejected, EngineUnavailable, formatJobRef, parseJobRef } from '../lib/engine-client.ts';
import { AppError, ErrorCode } from '../lib/errors.ts';
import { sha256Hex } from '../lib/ids.ts';
import { signBlobUrl } from '../lib/signing.ts';
import { cancelEngineJob, getEngineJob, startEngineRender } from './engine-jobs.ts';
import { signInputs } from './pipeline.ts';
import type { PreviewView } from './preview-view.ts';

export const PREVIEW_SHORT_SIDE = 360;
/** Previews are free, so they stop somewhere: longer drafts are checked by exporting them. */
export const PREVIEW_MAX_MS = 10 * 60_000;
/** Previews rendering at once per user (other projects); a preview's job counts until its file exists or for this long. */
export const MAX_RUNNING_PREVIEWS = 2;
/** Versions kept per session, the new one included: enough for undo/redo back and forth. */
export const KEEP_PER_SESSION = 3;
const PREVIEW_JOB_COUNTS_MS = 10 * 60_000;
/** How long the signed URLs handed to the engine and to the player live. */
const PREVIEW_URL_TTL_S = 3600;

/** The draft at preview size: frame and explicit text sizes scaled together, so it looks like the export. */
export function previewDraft(draft: Draft): Draft {
  const f = Math.min(1, PREVIEW_SHORT_SIDE / Math.min(draft.w, draft.h));
  const even = (n: number) => Math.max(16, Math.round((n * f) / 2) * 2);
  return DraftSchema.parse({
    ...draft,
    w: even(draft.w),
    h: even(draft.h),
    t: draft.t.map((t) =>
      t.tt === TrackType.text
        ? { ...t, sg: t.sg.map((s) => (s.m.size ? { ...s, m: { ...s.m, size: Math.max(1, s.m.size * f) } } : s)) }
        : t,
    ),
  });
}

export const previewPrefix = (userId: string, sessionId: string) => `u/${userId}/previews/${sessionId}/`;

/** Starts the preview of the session's current draft, or reports the one under way or done. */
export async function ensurePreview(
  env: Env,
  user: UserClient,
  userId: string,
  sessionId: string,
  origin: string,
): Promise<PreviewView> {
  const { draft, version } = await user.getDraft(sessionId);
  if (draft.d <= 0 || !draft.t.some((t) => t.tt === TrackType.video && t.sg.length > 0)) {
    throw new AppError(ErrorCode.BAD_REQUEST, 'The draft has no video yet: upload a clip and say what to do first');
  }
  if (draft.d > PREVIEW_MAX_MS) {
    throw new AppError(
      ErrorCode.BAD_REQUEST,
      `Previews cover drafts up to ${PREVIEW_MAX_MS / 60_000} minutes; this one is longer: export it instead`,
      { max_ms: PREVIEW_MAX_MS },
    );
  }
  const small = previewDraft(draft);
  const base = `${previewPrefix(userId, sessionId)}v${version}-${(await sha256Hex(JSON.stringify(draft))).slice(0, 16)}`;
  const keys = { out: `${base}.mp4`, job: `${base}.job`, poster: `${base}.poster.jpg` };
  const sign = (key: string, method: 'GET' | 'PUT') =>
    signBlobUrl(env.SIGNING_SECRET, origin, key, method, PREVIEW_URL_TTL_S);
  const view = (v: Partial<PreviewView>): PreviewView => ({
    draft_version: version,
    status: 'rendering',
    progress: 0,
    width: small.w,
    height: small.h,
    ...v,
  });
  const done = async () =>
    view({
      status: 'done',
      progress: 1,
      url: await sign(keys.out, 'GET'),
      ...((await env.MEDIA.head(keys.poster)) ? { poster_url: await sign(keys.poster, 'GET') } : {}),
    });

  if (await env.MEDIA.head(keys.out)) return done();
  const marker = await env.MEDIA.get(keys.job);
  if (marker) {
    const jobRef = parseJobRef(await marker.text(), env);
    try {
      const state = await getEngineJob(env, jobRef);
      if (state?.status === 'done') return done();
      if (state && state.status !== 'failed' && state.status !== 'cancelled') return view({ progress: state.progress });
      // Failed, or forgotten by a restarted engine: forget it too, so the next request starts afresh.
      await env.MEDIA.delete(keys.job);
      if (state) return view({ status: 'failed', error: state.error ?? state.status });
    } catch (err) {
      if (err instanceof EngineUnavailable) return view({ status: 'failed', error: err.message });
      throw err;
    }
  }
  await dropOldPreviews(env, previewPrefix(userId, sessionId));
  await checkRunningPreviews(env, userId);
  try {
    const inputs = await signInputs(small, await user.listMedia(sessionId), (k) => sign(k, 'GET'));
    const ref = await startEngineRender(env, {
      draft: small,
      inputs,
      output: { url: await sign(keys.out, 'PUT'), poster_url: await sign(keys.poster, 'PUT') },
      preset: 'ultrafast',
    });
    await env.MEDIA.put(keys.job, formatJobRef(ref));
  } catch (err) {
    if (err instanceof EngineUnavailable || err instanceof EngineRejected)
      return view({ status: 'failed', error: err.message });
    throw err;
  }
  return view({});
}

/** Free renders are bounded per user: at most MAX_RUNNING_PREVIEWS at once, across projects. */
async function checkRunningPreviews(env: Env, userId: string): Promise<void> {
  const listed = await env.MEDIA.list({ prefix: `u/${userId}/previews/` });
  const keys = new Set(listed.objects.map((o) => o.key));
  const since = Date.now() - PREVIEW_JOB_COUNTS_MS;
  const running = listed.objects.filter(
    (o) => o.key.endsWith('.job') && o.uploaded.getTime() > since && !keys.has(o.key.replace(/\.job$/, '.mp4')),
  ).length;
  if (running >= MAX_RUNNING_PREVIEWS) {
    throw new AppError(
      ErrorCode.RATE_LIMITED,
      `${running} previews of other projects are still rendering: try again in a few seconds`,
      null,
      { 'retry-after': '5' },
    );
  }
}

/**
 * Before a new version's preview: keeps the session's newest KEEP_PER_SESSION - 1 versions, deletes
 * the files of older ones and stops their engine jobs if they are still rendering (nobody will watch).
 */
async function dropOldPreviews(env: Env, prefix: string): Promise<void> {
  const listed = await env.MEDIA.list({ prefix });
  const versions = new Map<string, { at: number; keys: string[] }>();
  for (const o of listed.objects) {
    const base = o.key.replace(/\.(job|mp4|poster\.jpg)$/, '');
    const v = versions.get(base) ?? { at: 0, keys: [] };
    v.at = Math.max(v.at, o.uploaded.getTime());
    v.keys.push(o.key);
    versions.set(base, v);
  }
  const drop = [...versions.values()].sort((a, b) => b.at - a.at).slice(KEEP_PER_SESSION - 1);
  for (const job of drop.flatMap((v) => v.keys.filter((k) => k.endsWith('.job')))) {
    const jobId = await (await env.MEDIA.get(job))?.text();
    if (jobId) await cancelEngineJob(env, parseJobRef(jobId, env)).catch(() => undefined);
  }
  const keys = drop.flatMap((v) => v.keys);
  if (keys.length) await env.MEDIA.delete(keys);
}
