/**
 * One chat turn behind POST /run_sse and the ADK-compatible POST /run (docs/api.md): the body is
 * validated before the stream opens (400 naming the field, 1002 for a session that is not
 * yours); after that every problem arrives inside the stream as a text part plus an
 * errorCode/errorMessage event. A turn with a retry key is recorded, and a retry of it replayed
 * (src/agent/turn-record.ts).
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { analyseMedia } from '../agent/analysis.ts';
import type { MediaRow, TurnDeps } from '../agent/deps.ts';
import type { Proposal } from '../agent/dry-run.ts';
import { selectPlanner } from '../agent/planner/select.ts';
import { sseStream } from '../agent/sse.ts';
import { runTurn } from '../agent/turn.ts';
import { replayStream, retryKey, TurnRecorder } from '../agent/turn-record.ts';
import type { AppEnv } from '../lib/app-env.ts';
import { AppError, ErrorCode } from '../lib/errors.ts';
import { sha256Hex } from '../lib/ids.ts';
import { publicOrigin } from '../lib/signing.ts';
import { parseJson } from '../lib/validate.ts';
import { bindUrl, getRenderStatus, startRender } from '../render/start-render.ts';

// ADK's Content and Part have every field optional, and Python clients often send unset ones as null.
const Message = z.object({
  /** A client's own message id: a retry key when no Idempotency-Key or invocation id is sent. */
  id: z.string().max(255).nullish(),
  role: z.string().nullish(),
  parts: z.array(z.object({ text: z.string().nullish() }).passthrough()).min(1),
});

export const RunSseBody = z
  .object({
    app_name: z.string().min(1).optional(),
    appName: z.string().min(1).optional(),
    session_id: z.string().min(1).optional(),
    sessionId: z.string().min(1).optional(),
    new_message: Message.optional(),
    newMessage: Message.optional(),
    user_id: z.string().nullish(),
    userId: z.string().nullish(),
    streaming: z.boolean().nullish(),
    /** ADK's invocation id: a retry with the same one replays the first attempt (docs/api.md). */
    invocation_id: z.string().min(1).max(255).nullish(),
    invocationId: z.string().min(1).max(255).nullish(),
  })
  .superRefine((b, ctx) => {
    if (!b.session_id && !b.sessionId)
      ctx.addIssue({ code: 'custom', path: ['session_id'], message: 'required (or sessionId)' });
    const message = b.new_message ?? b.newMessage;
    if (!message) ctx.addIssue({ code: 'custom', path: ['new_message'], message: 'required (or newMessage)' });
    else if (!message.parts.some((p) => p.text?.trim()))
      ctx.addIssue({ code: 'custom', path: ['new_message', 'parts'], message: 'needs a part with non-empty text' });
  });

/** Under the owner's prefix, so deleting the user (or the session's objects) removes it too. */
const proposalKey = (userId: string, sessionId: string) => `u/${userId}/proposals/${sessionId}.json`;

/** Longest chat message (a pasted script of ~15,000 words fits). */
export const MAX_MESSAGE_CHARS = 100_000;

/** The author of every event, as the skill's clients expect. */
export const AGENT_NAME = 'nemo_agent';

/** Opens the turn's event stream: a new run, or the replay of a retried one. */
export async function openChatTurn(c: Context<AppEnv>, parsed?: z.infer<typeof RunSseBody>): Promise<Response> {
  const body = parsed ?? (await parseJson(c, RunSseBody));
  const sessionId = (body.session_id ?? body.sessionId)!;
  const message = (body.new_message ?? body.newMessage)!;
  const text = message.parts
    .map((p) => p.text ?? '')
    .join('\n')
    .trim();
  // A pasted script is long; a message is never cut short silently (it used to stop at 4,000).
  if (text.length > MAX_MESSAGE_CHARS)
    throw new AppError(
      ErrorCode.BAD_REQUEST,
      `Invalid body: the message has ${text.length} characters, more than ${MAX_MESSAGE_CHARS} (the limit); send it in parts`,
      { max_chars: MAX_MESSAGE_CHARS },
    );
  const user = c.var.user;
  const session = await user.getSession(sessionId);
  const origin = publicOrigin(c.env, c.req.url);
  let planner: ReturnType<typeof selectPlanner>;
  try {
    planner = selectPlanner(c.env as unknown as Parameters<typeof selectPlanner>[0]);
  } catch (err) {
    throw new AppError(ErrorCode.INTERNAL, `Planner misconfigured: ${(err as Error).message}`);
  }
  const userId = c.var.userId;
  const deps: TurnDeps = {
    sessionId,
    language: session.language,
    planner,
    loadDraft: () => user.getDraft(sessionId),
    listMedia: async () =>
      (await user.listMedia(sessionId)).map(
        (m): MediaRow => ({
          media_id: m.media_id,
          name: m.name,
          kind: m.kind,
          duration_ms: m.duration_ms,
          width: m.width,
          height: m.height,
          has_audio: m.has_audio,
          r2_key: m.r2_key,
          content_hash: m.content_hash,
        }),
      ),
    commit: (draft, op, baseVersion) => user.commitDraft(sessionId, draft, { op: `chat:${op}`, baseVersion }),
    undo: () => user.undo(sessionId),
    redo: () => user.redo(sessionId),
    balance: () => user.balance(),
    // Long files are paid for when a turn first needs their words (src/lib/cost.ts).
    analyse: (media, opts) =>
      analyseMedia(
        c.env,
        origin,
        media,
        session.language,
        {
          freeze: async (ref, amount, note) =>
            user.freezeCredits(ref, amount, note, await bindUrl(c.env, origin, userId)),
          settle: (ref, kind, note) => user.settleCredits(ref, kind, note),
        },
        opts?.hotwords,
        opts?.prefer,
        opts?.onProgress,
      ),
    render: {
      start: (draft, output) =>
        startRender(c.env, userId, origin, {
          id: `chat_${Date.now()}_${crypto.randomUUID().slice(0, 8)}`,
          sessionId,
          draft,
          output: { format: 'mp4', quality: output.quality ?? 'high' },
        }),
      status: (renderId) => getRenderStatus(c.env, userId, origin, renderId),
    },
    appendChat: (entries) => user.appendChat(sessionId, entries),
    // A dry run's proposal waits beside the session's uploads until "ok, do it" (or the next dry run).
    loadProposal: async () => {
      const stored = await c.env.MEDIA.get(proposalKey(userId, sessionId));
      return stored ? ((await stored.json()) as Proposal) : null;
    },
    saveProposal: async (proposal) => {
      if (proposal) await c.env.MEDIA.put(proposalKey(userId, sessionId), JSON.stringify(proposal));
      else await c.env.MEDIA.delete(proposalKey(userId, sessionId));
    },
  };
  const heartbeatMs = Number((c.env as unknown as Record<string, unknown>).CHAT_HEARTBEAT_MS) || undefined;
  // The client's invocation id, or ours: the events of the turn and of its replays all carry it.
  const invocationId = body.invocation_id ?? body.invocationId ?? `e-${crypto.randomUUID()}`;
  const header = c.req.header('idempotency-key');
  if (header && header.length > 255)
    throw new AppError(ErrorCode.BAD_REQUEST, 'Idempotency-Key: at most 255 characters');
  const key = retryKey({ header, invocationId: body.invocation_id ?? body.invocationId, messageId: message.id });
  let recorder: TurnRecorder | undefined;
  if (key) {
    const claim = await user.claimTurn({
      sessionId,
      key,
      fingerprint: await sha256Hex(text),
      invocationId,
    });
    if (!claim.claimed)
      return replayStream(user, {
        sessionId,
        key,
        author: AGENT_NAME,
        language: session.language,
        first: claim,
        heartbeatMs,
      });
    recorder = new TurnRecorder(user, sessionId, key);
  }
  const { sink, response, close } = sseStream(AGENT_NAME, {
    partials: body.streaming !== false,
    invocationId,
    tap: recorder?.tap,
  });
  const work = runTurn(sink, deps, text, { heartbeatMs })
    .then(() => recorder?.finish())
    .finally(close);
  // The turn finishes (and commits or discards as one) even if the client hangs up.
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // No execution context (unit use): the stream itself keeps the turn alive.
  }
  return response;
}
