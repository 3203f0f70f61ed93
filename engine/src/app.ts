/** The engine's HTTP API (Hono). Stateless apart from in-memory jobs and the on-disk analysis cache. */
import { Hono } from 'hono';
import type { z } from 'zod';
import { AnalyseRequest, AnalyseWindowsRequest, ProbeRequest } from '../../src/lib/engine-protocol.ts';
import { RenderRequest } from '../../src/render/render-request.ts';
import { Analyser } from './analyse/analyse.ts';
import { createSpeechStack, type SpeechStack } from './asr/registry.ts';
import { SpeechWorkerError } from './asr/speech-worker.ts';
import type { EngineConfig } from './config.ts';
import { ffmpegVersion } from './ffmpeg/run-ffmpeg.ts';
import { type EngineAuth, engineGuard } from './http/auth.ts';
import { JobStore } from './jobs/job-store.ts';
import { Slots } from './jobs/slots.ts';
import { probeMedia, UnreadableMediaError } from './probe/probe-media.ts';
import { runRender } from './render/run-render.ts';
import { validateRender } from './render/validate.ts';

export interface EngineDeps {
  /** Speech recognition and voice activity; default: chosen by configuration (asr/registry.ts). */
  speech?: SpeechStack;
  /** Required: there is no unauthenticated mode (engine/src/http/auth.ts). */
  auth: EngineAuth;
}

/** "draft.t.0.sg.1.d: Too small: expected number to be >0" — the first issue, with its path. */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue.path.map(String).join('.');
  return `${path || 'body'}: ${issue.message}`;
}

export function createApp(cfg: EngineConfig, deps: EngineDeps) {
  const speech = deps.speech ?? createSpeechStack(cfg);
  const { recognizer } = speech;
  const analyser = new Analyser(cfg, recognizer, speech.vad);
  const jobs = new JobStore();
  const renderSlots = new Slots(cfg.maxRenders);
  const app = new Hono();
  let version: Promise<string> | null = null;
  app.use('*', engineGuard(deps.auth));

  const body = async <T extends z.ZodType>(c: { req: { json(): Promise<unknown> } }, schema: T) => {
    const raw = await c.req.json().catch(() => undefined);
    if (raw === undefined) return { error: 'body: must be JSON' } as const;
    const parsed = schema.safeParse(raw);
    return parsed.success
      ? ({ data: parsed.data as z.infer<T> } as const)
      : ({ error: firstIssue(parsed.error) } as const);
  };

  app.get('/health', async (c) => {
    version ??= ffmpegVersion();
    return c.json({
      ok: true,
      ffmpeg: await version,
      asr: recognizer.name,
      asr_model: recognizer.model ?? null,
      vad: speech.vad.name,
      // Loaded once, on first use; `starts` > 1 means it died and was restarted.
      asr_worker: speech.worker
        ? { loaded: speech.worker.info !== null, starts: speech.worker.starts, ...speech.worker.info }
        : null,
      ...(speech.fallbackReason ? { asr_fallback_reason: speech.fallbackReason } : {}),
      analyses: analysisQueue(),
      renders: renderQueue(),
    });
  });

  app.post('/probe', async (c) => {
    const b = await body(c, ProbeRequest);
    if ('error' in b) return c.json({ error: b.error }, 400);
    try {
      return c.json(await probeMedia(b.data.url));
    } catch (err) {
      if (err instanceof UnreadableMediaError) return c.json({ error: err.message }, 422);
      throw err;
    }
  });

  const analysisQueue = () => {
    const { running, queued } = analyser.slots.stats();
    return {
      max: analyser.slots.size,
      running: running.length,
      queued: queued.map((q) => ({ content_hash: q.label, position: q.position })),
    };
  };

  // The Worker's pool picks the least busy engine from these counts (src/lib/engine-pool.ts engineLoad).
  const renderQueue = () => {
    const { running, queued } = renderSlots.stats();
    return { max: renderSlots.size, running: running.length, queued: queued.length };
  };

  // Where an analysis waits (content hashes only: no URLs or user data). Signed like every call.
  app.get('/analyses', (c) => c.json(analysisQueue()));

  app.post('/analyse', async (c) => {
    const b = await body(c, AnalyseRequest);
    if ('error' in b) return c.json({ error: b.error }, 400);
    if (!/^[A-Za-z0-9_-]+$/.test(b.data.content_hash)) {
      return c.json({ error: 'content_hash: letters, digits, - and _ only' }, 400);
    }
    try {
      return c.json(await analyser.analyse(b.data));
    } catch (err) {
      if (err instanceof UnreadableMediaError) return c.json({ error: err.message }, 422);
      // The worker restarts on the next request: the caller may retry.
      if (err instanceof SpeechWorkerError) return c.json({ error: err.message, retryable: true }, 503);
      throw err;
    }
  });

  // Where to split a long file so that several engines analyse its windows at once (docs/speech.md).
  app.post('/analyse/windows', async (c) => {
    const b = await body(c, AnalyseWindowsRequest);
    if ('error' in b) return c.json({ error: b.error }, 400);
    if (!/^[A-Za-z0-9_-]+$/.test(b.data.content_hash)) {
      return c.json({ error: 'content_hash: letters, digits, - and _ only' }, 400);
    }
    try {
      const [windows, cached] = await analyser.windows(b.data);
      return c.json({ ...windows, cached });
    } catch (err) {
      if (err instanceof UnreadableMediaError) return c.json({ error: err.message }, 422);
      throw err;
    }
  });

  app.post('/render', async (c) => {
    const b = await body(c, RenderRequest);
    if ('error' in b) return c.json({ error: b.error }, 400);
    const problem = validateRender(b.data);
    if (problem) return c.json({ error: problem }, 400);
    const job = jobs.create();
    // Not awaited: the job outlives this request (and a client that disconnects).
    // It waits as `queued` for a free slot; a job cancelled while queued never starts.
    void renderSlots.run(() => (job.abort.signal.aborted ? Promise.resolve() : runRender(job, b.data, cfg)));
    // One line per job, so an operator of a pool can see which engine took which render.
    console.log(JSON.stringify({ level: 'info', msg: 'render accepted', job_id: job.state.job_id, port: cfg.port }));
    return c.json({ job_id: job.state.job_id }, 202);
  });

  app.get('/jobs/:id', (c) => {
    const job = jobs.get(c.req.param('id'));
    return job ? c.json(job.state) : c.json({ error: 'job not found' }, 404);
  });

  app.delete('/jobs/:id', (c) => {
    const id = c.req.param('id');
    const job = jobs.get(id);
    if (!job) return c.json({ error: 'job not found' }, 404);
    jobs.cancel(id);
    return c.json(job.state);
  });

  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((err, c) => {
    console.error('engine error', err);
    return c.json({ error: 'internal error (details are in the engine log)' }, 500);
  });
  return app;
}
