import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep, type WorkflowStepConfig } from 'cloudflare:workers';
import { NonRetryableError } from 'cloudflare:workflows';
import { userStub } from '../durable/user-stub.ts';
import { parseJobRef } from '../lib/engine-client.ts';
import { AppError } from '../lib/errors.ts';
import {
  type ChunkedPlan,
  chunkedProgress,
  deleteParts,
  type PartRun,
  partRequest,
  partWeights,
  planChunkedRender,
  runPart,
} from './chunked-render.ts';
import { cancelEngineJob } from './engine-jobs.ts';
import {
  LOST_POLLS_LIMIT,
  MAX_ENGINE_ATTEMPTS,
  type PollResult,
  pollDelayMs,
  pollJob,
  renderTimeoutMs,
  type SignedRender,
  sendWebhook,
  signRender,
  startJob,
  verifyOutput,
} from './pipeline.ts';
// RenderParams lives in render-keys.ts so that start-render.ts needs nothing from this module (no import cycle).
import type { RenderParams } from './render-keys.ts';
import { makeShareId } from './share-id.ts';
import { bindUrl } from './start-render.ts';

const QUICK: WorkflowStepConfig = {
  retries: { limit: 5, delay: '1 second', backoff: 'exponential' },
  timeout: '1 minute',
};
const ENGINE_START: WorkflowStepConfig = {
  retries: { limit: 3, delay: '5 seconds', backoff: 'exponential' },
  timeout: '2 minutes',
};
const WEBHOOK: WorkflowStepConfig = {
  retries: { limit: 5, delay: '10 seconds', backoff: 'exponential' },
  timeout: '30 seconds',
};

/**
 * One instance per render (instance id from user + render id). Step names are stable, so a
 * replay after a crash or deploy resumes where it stopped: freeze credits → sign urls → start
 * engine job → poll engine N (with `poll wait N` sleeps) → verify output → record output →
 * spend credits | refund credits → mark render → send webhook.
 */
export class RenderWorkflow extends WorkflowEntrypoint<Env, RenderParams> {
  override async run(event: Readonly<WorkflowEvent<RenderParams>>, step: WorkflowStep) {
    const { userId, renderId, origin } = event.payload;
    const user = userStub(this.env, userId);
    let failure: string | null = null;
    try {
      const render = await step.do('freeze credits', QUICK, async () => {
        const r = await user.getRender(renderId);
        if (!r) throw new NonRetryableError(`Render ${renderId} does not exist`);
        try {
          await user.freezeCredits(renderId, r.cost, `render ${renderId}`, await bindUrl(this.env, origin, userId));
        } catch (err) {
          if (err instanceof AppError) throw new NonRetryableError(err.message);
          throw err;
        }
        return r;
      });
      const signed = await step.do('sign urls', QUICK, () => signRender(this.env, user, render, userId, origin));
      // Whole or chunked is decided once, in a step: a replay takes the same path whatever the pool is by then.
      const plan = await step.do('plan render', QUICK, () =>
        planChunkedRender(this.env, signed, userId, renderId, origin),
      );
      const job = plan
        ? await this.driveChunks(step, user, renderId, signed, plan)
        : await this.driveEngine(step, user, renderId, signed, renderTimeoutMs(signed.draftMs));
      const out = await step.do('verify output', QUICK, () => verifyOutput(this.env, origin, signed, job));
      await step.do('record output', QUICK, async () => {
        const shareId = await makeShareId(this.env.SIGNING_SECRET, userId);
        await user.recordRenderOutput(renderId, { outKey: signed.keys.out, shareId, ...out });
        return true;
      });
      await step.do('spend credits', QUICK, () => user.settleCredits(renderId, 'spend', `render ${renderId} done`));
      await step.do('mark render', QUICK, async () => {
        await user.finishRender(renderId, 'done', null);
        return true;
      });
    } catch (err) {
      // An error thrown inside a step comes back with its class name in front ("NonRetryableError: …"):
      // the user reads the message, not our class names.
      failure = (err instanceof Error ? err.message : String(err)).replace(/^(?:NonRetryable)?Error: /, '');
      await step.do('refund credits', QUICK, () => user.settleCredits(renderId, 'refund', `render ${renderId} failed`));
      await step.do('mark render', QUICK, async () => {
        await user.finishRender(renderId, 'failed', failure);
        return true;
      });
    }
    const r = await user.getRender(renderId);
    if (r?.webhook_url) {
      const url = r.webhook_url;
      try {
        await step.do('send webhook', WEBHOOK, () => sendWebhook(this.env, user, renderId, origin, url));
      } catch (err) {
        console.warn(JSON.stringify({ level: 'warn', renderId, webhook: 'gave up', error: String(err) }));
      }
    }
    // The row has the last word: a render cancelled while its output was being recorded stays failed.
    if (r?.status === 'failed') return { status: 'failed', error: r.error ?? failure };
    return failure ? { status: 'failed', error: failure } : { status: 'done' };
  }

  /**
   * A chunked render (src/render/chunked-render.ts): every video chunk and the sound in parallel,
   * each its own step (`render chunk 2 of 4`, `render audio`) that starts its job on a picked
   * engine and polls it to the end, so a failed part is retried alone; then `join chunks` and
   * `delete chunk files`. Progress is the parts' weighted sum.
   */
  private async driveChunks(
    step: WorkflowStep,
    user: ReturnType<typeof userStub>,
    renderId: string,
    signed: SignedRender,
    plan: ChunkedPlan,
  ): Promise<PollResult> {
    const weights = partWeights(plan);
    const progress = { chunks: plan.chunks.map(() => 0), audio: 0, join: 0 };
    // Outside a step on purpose: progress is advisory and the render row keeps its maximum, so a
    // replay (which skips finished steps and reports them as done) never moves it backwards.
    const report = () => user.noteRenderProgress(renderId, chunkedProgress(weights, progress));
    const part = (name: string, timeoutMs: number, req: ReturnType<typeof partRequest>, set: (p: number) => void) => {
      // Lives across this step's retries within one run: a retry goes to another engine and stops the last job.
      const run: PartRun = { tried: [], lastJob: null };
      const config: WorkflowStepConfig = {
        retries: { limit: 2, delay: '5 seconds', backoff: 'exponential' },
        timeout: timeoutMs + 60_000,
      };
      return step
        .do(name, config, () =>
          runPart(this.env, req, run, {
            timeoutMs,
            label: { renderId, part: name },
            onProgress: (p) => {
              set(p);
              return report();
            },
          }),
        )
        .then((out) => {
          set(1);
          return out;
        });
    };
    const n = plan.chunks.length;
    const frameMs = 1000 / signed.fps;
    try {
      const outs = await Promise.all([
        ...plan.chunks.map((c, i) =>
          part(
            `render chunk ${i + 1} of ${n}`,
            renderTimeoutMs((c.end_frame - c.start_frame) * frameMs),
            partRequest(signed, { kind: 'video', start_frame: c.start_frame, end_frame: c.end_frame }, c.file.putUrl),
            (p) => {
              progress.chunks[i] = Math.max(progress.chunks[i]!, p);
            },
          ),
        ),
        part(
          'render audio',
          renderTimeoutMs(signed.draftMs),
          partRequest(signed, { kind: 'audio' }, plan.audio.putUrl),
          (p) => {
            progress.audio = Math.max(progress.audio, p);
          },
        ),
      ]);
      plan.chunks.forEach((c, i) => {
        const frames = outs[i]?.frames;
        if (frames !== undefined && frames !== c.end_frame - c.start_frame)
          throw new Error(`Chunk ${i + 1} has ${frames} frames, not ${c.end_frame - c.start_frame}`);
      });
      await report();
      const joinReq = partRequest(signed, {
        kind: 'join',
        chunk_urls: plan.chunks.map((c) => c.file.getUrl),
        audio_url: plan.audio.getUrl,
      });
      const output = await part('join chunks', renderTimeoutMs(signed.draftMs), joinReq, (p) => {
        progress.join = Math.max(progress.join, p);
      });
      await step.do('delete chunk files', QUICK, () => deleteParts(this.env, plan));
      return { job_id: 'chunked', status: 'done', progress: 1, output };
    } catch (err) {
      // The parts are temporary either way (the user's cleanup would find them under the render's folder too).
      await step.do('delete chunk files', QUICK, () => deleteParts(this.env, plan)).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Starts the engine job and polls it with backoff until it finishes. An engine that stops
   * answering (or forgets the job: it restarted) gets a fresh job, at most MAX_ENGINE_ATTEMPTS
   * times. The clock is the sum of the sleeps, so replays take the same path.
   */
  private async driveEngine(
    step: WorkflowStep,
    user: ReturnType<typeof userStub>,
    renderId: string,
    signed: SignedRender,
    timeoutMs: number,
  ): Promise<PollResult> {
    let polls = 0;
    let waitedMs = 0;
    let lostReason = '';
    for (let attempt = 1; attempt <= MAX_ENGINE_ATTEMPTS; attempt++) {
      const name = attempt === 1 ? 'start engine job' : `start engine job (attempt ${attempt})`;
      const jobId = await step.do(name, ENGINE_START, () => startJob(this.env, user, renderId, attempt, signed));
      let lostStreak = 0;
      let gone = false;
      while (!gone && lostStreak < LOST_POLLS_LIMIT) {
        polls++;
        const delay = pollDelayMs(polls, timeoutMs);
        if (waitedMs + delay > timeoutMs) {
          await step.do('cancel engine job', QUICK, async () => {
            await cancelEngineJob(this.env, parseJobRef(jobId, this.env)).catch(() => undefined);
            return true;
          });
          throw new Error(`The render timed out after ${Math.round(waitedMs / 1000)} s`);
        }
        await step.sleep(`poll wait ${polls}`, delay);
        waitedMs += delay;
        const state = await step.do(`poll engine ${polls}`, QUICK, () => pollJob(this.env, jobId));
        // Outside a step on purpose: progress is advisory and monotonic, so a replay re-reporting it is harmless.
        const unanswered = state.status === 'lost' || state.status === 'gone';
        const current = await user.noteRenderProgress(renderId, unanswered ? 0 : state.progress);
        if (current === 'failed') {
          await step.do('cancel engine job', QUICK, async () => {
            await cancelEngineJob(this.env, parseJobRef(jobId, this.env)).catch(() => undefined);
            return true;
          });
          throw new Error('Cancelled by the user; credits returned');
        }
        if (unanswered) {
          lostStreak++;
          gone = state.status === 'gone';
          lostReason = state.error ?? 'no answer';
          continue;
        }
        lostStreak = 0;
        if (state.status === 'done') return state;
        if (state.status === 'failed' || state.status === 'cancelled') {
          throw new Error(`The media engine could not render this draft: ${state.error ?? state.status}`);
        }
      }
      // A silent engine may only be overloaded: stop its job (best effort) so two never write the same output.
      if (!gone) {
        await step.do(`cancel engine job (attempt ${attempt})`, QUICK, async () => {
          await cancelEngineJob(this.env, parseJobRef(jobId, this.env)).catch(() => undefined);
          return true;
        });
      }
    }
    throw new Error(
      `The media engine stopped answering ${MAX_ENGINE_ATTEMPTS} times (last: ${lostReason}); credits returned`,
    );
  }
}
