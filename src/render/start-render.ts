import { z } from 'zod';
import {
  emptyDraftProblem,
  misplacedMediaProblem,
  oddSizeProblem,
  renderDurationMs,
  unknownMedia,
  unknownMediaProblem,
  windowProblem,
} from '../draft/checks.ts';
import { type Draft, DraftSchema, TrackType } from '../draft/schema.ts';
import type { RenderOutputSpec } from '../durable/renders.ts';
import { userStub } from '../durable/user-stub.ts';
import { signedBindUrl } from '../lib/bind-link.ts';
import { assertPlanAllows, renderCostCredits } from '../lib/cost.ts';
import { hasEngine, parseJobRef } from '../lib/engine-client.ts';
import { AppError, ErrorCode } from '../lib/errors.ts';
import { renderInstanceId } from '../lib/storage-keys.ts';
import { parseWith } from '../lib/validate.ts';
import { cancelEngineJob } from './engine-jobs.ts';
import type { RenderParams } from './render-keys.ts';
import { type RenderStatusView, renderStatusView } from './status.ts';

/** Render ids are the client's idempotency keys; they also name the render's R2 folder. */
export const RenderId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'id may hold letters, digits, _ . : - (e.g. "render_1732531200")');

export const RenderOutput = z
  .object({ format: z.literal('mp4').default('mp4'), quality: z.enum(['low', 'medium', 'high']).default('high') })
  .default({ format: 'mp4', quality: 'high' });

export interface StartRenderArgs {
  id: string;
  sessionId: string;
  /** A draft as in docs/api.md; validated here again with the one draft schema. */
  draft: unknown;
  output?: Partial<RenderOutputSpec>;
  webhookUrl?: string | null;
}

export interface StartedRender {
  render_id: string;
  status: 'queued' | 'rendering' | 'done' | 'failed';
  cost: number;
  created: boolean;
}

/** Anonymous users get a registration link that binds their account (docs/api.md, code 2001); signed (bind-link.ts). */
export const bindUrl = (env: Env, origin: string, userId: string) => signedBindUrl(env.SIGNING_SECRET, origin, userId);

function titleOf(draft: Draft): string {
  const named = draft.t.find((t) => t.tt === TrackType.video && t.m.name)?.m.name;
  return (draft.m?.title ?? named ?? 'Untitled video').slice(0, 200);
}

/**
 * Starts (or finds) the render `id` of this user: validates the draft against the schema and
 * the session's media, freezes its cost in the user's Durable Object (one transaction with the
 * row, so the same id charges once even under concurrent calls), then makes sure its Workflow
 * instance exists. Used by `POST /api/render/proxy/lambda` and by the chat agent's "export".
 */
export async function startRender(
  env: Env,
  userId: string,
  origin: string,
  args: StartRenderArgs,
): Promise<StartedRender> {
  const id = parseWith(RenderId, args.id, 'render id');
  const draft = parseWith(DraftSchema, args.draft, 'draft');
  const output = parseWith(RenderOutput, args.output ?? undefined, 'output');
  const durationMs = renderDurationMs(draft);
  refuseIf(emptyDraftProblem(draft));
  const user = userStub(env, userId);
  const existing = await user.getRender(id);
  if (!existing) {
    refuseIf(oddSizeProblem(draft));
    refuseIf(windowProblem(draft));
    assertPlanAllows('free', draft.w, draft.h);
    const kinds = new Map((await user.listMedia(args.sessionId)).map((m) => [m.media_id, m.kind]));
    const kindOf = (mediaId: string) => kinds.get(mediaId);
    const unknown = unknownMedia(draft, kindOf);
    if (unknown.length) {
      throw new AppError(
        ErrorCode.BAD_REQUEST,
        `Invalid draft: ${unknownMediaProblem(unknown)} (not uploaded to session ${args.sessionId})`,
        { unknown_media: unknown },
      );
    }
    refuseIf(misplacedMediaProblem(draft, kindOf));
  }
  const { render, created } = await user.createRender({
    renderId: id,
    sessionId: args.sessionId,
    draftJson: JSON.stringify({ ...draft, d: durationMs }),
    output,
    cost: renderCostCredits(durationMs, draft.w, draft.h),
    width: draft.w,
    height: draft.h,
    title: titleOf(draft),
    webhookUrl: args.webhookUrl ?? null,
    bindUrl: await bindUrl(env, origin, userId),
  });
  const params = { userId, renderId: id, origin };
  if (created) {
    try {
      await ensureWorkflow(env, params, false);
    } catch (err) {
      // Nothing will run this render: give the credits back now rather than leave them frozen.
      await user.cancelRender(id, 'The render could not be started; credits returned');
      throw err;
    }
  }
  // A repeat of a render still queued a while later: its first POST may have died between the row
  // and the Workflow, so make sure the instance exists (creation is idempotent by instance id).
  else if (render.status === 'queued' && Date.now() - render.created_at > ORPHAN_AFTER_MS) {
    await ensureWorkflow(env, params, true);
  }
  return { render_id: render.render_id, status: render.status, cost: render.cost, created };
}

const ORPHAN_AFTER_MS = 30_000;

/**
 * The engine refuses these too (the same checks, src/draft/checks.ts), but only once the render
 * runs: caught here they are a 400 naming the field instead of a render that is accepted, frozen
 * and then fails.
 */
function refuseIf(problem: string | null): void {
  if (problem) throw new AppError(ErrorCode.BAD_REQUEST, `Invalid draft: ${problem}`);
}

/** Creates the render's instance once; a second create of the same id throws, which means "already started". */
async function ensureWorkflow(env: Env, params: RenderParams, checkFirst: boolean): Promise<void> {
  const instanceId = await renderInstanceId(params.userId, params.renderId);
  if (checkFirst) {
    try {
      await env.RENDER_WORKFLOW.get(instanceId);
      return;
    } catch {
      // not there: create it below
    }
  }
  try {
    await env.RENDER_WORKFLOW.create({ id: instanceId, params });
  } catch (err) {
    try {
      await env.RENDER_WORKFLOW.get(instanceId);
    } catch {
      throw err;
    }
  }
}

/** The poll answer for one of this user's renders; another user's render id is simply not found (404). */
export async function getRenderStatus(
  env: Env,
  userId: string,
  origin: string,
  renderId: string,
): Promise<RenderStatusView> {
  const render = await userStub(env, userId).getRender(renderId);
  if (!render) throw new AppError(ErrorCode.NOT_FOUND, `Render ${renderId} not found`);
  return renderStatusView(env, origin, render);
}

/**
 * Cancels one of this user's unfinished renders: credits back and status failed (one transaction
 * in the user's object), then the engine job is stopped, best effort. A render that finished
 * meanwhile keeps its result.
 */
export async function cancelRender(
  env: Env,
  userId: string,
  origin: string,
  renderId: string,
): Promise<RenderStatusView> {
  const { render, cancelled } = await userStub(env, userId).cancelRender(renderId);
  if (!render) throw new AppError(ErrorCode.NOT_FOUND, `Render ${renderId} not found`);
  // The workflow sees the cancellation at its next poll and winds down (webhook included).
  if (cancelled && render.job_id && hasEngine(env)) {
    await cancelEngineJob(env, parseJobRef(render.job_id, env)).catch(() => undefined);
  }
  return renderStatusView(env, origin, render);
}
