import { DurableObject } from 'cloudflare:workers';
import type { Draft } from '../draft/schema.ts';
import type { ProbeResult } from '../lib/engine-protocol.ts';
import { AppError, type RpcResult } from '../lib/errors.ts';
import { appendChat, type ChatEntry, chatHistory } from './chat.ts';
import { runUserCleanup } from './cleanup.ts';
import * as credits from './credits.ts';
import { commitDraft, draftHistory, moveHead } from './drafts.ts';
import * as verification from './email-verification.ts';
import { addMedia, getMedia, listMedia, type NewMedia } from './media.ts';
import * as registration from './registration.ts';
import * as renders from './renders.ts';
import { migrate } from './schema.ts';
import { deleteSessionObjects, deleteSessionState, terminateCancelled } from './session-delete.ts';
import { type Attribution, createSession, getSession, listSessions, readDraft } from './sessions.ts';
import * as tokens from './tokens.ts';
import * as turns from './turns.ts';
import * as tus from './tus-uploads.ts';

/**
 * One Durable Object per user: its tokens, credits ledger, sessions, drafts, chat and media.
 * Every state change for a user goes through here, so changes are serialised, and each
 * read-modify-write runs inside one storage transaction. Methods are typed RPC.
 */
export class UserDO extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ctx.blockConcurrencyWhile(async () => migrate(this.sql));
  }

  /**
   * Runs `fn` in one storage transaction. An AppError is returned as a value, not thrown:
   * errors thrown across RPC lose their class and surface as unhandled rejections, so the
   * caller's `userStub` client turns the value back into a thrown AppError on its side.
   */
  protected tx<T>(fn: () => T): RpcResult<T> {
    try {
      return { rpc: 1, ok: true, value: this.ctx.storage.transactionSync(fn) };
    } catch (err) {
      if (err instanceof AppError)
        return { rpc: 1, ok: false, error: { code: err.code, message: err.message, data: err.data } };
      throw err;
    }
  }

  // ── tokens ────────────────────────────────────────────────────────────────
  async mintToken(args: tokens.MintArgs) {
    const minted = this.tx(() => tokens.mint(this.sql, args));
    // A new token pushes this user's expiry (alarm and cleanup index marker) further out. A hiccup
    // here must not fail the sign-in: the next alarm or mint puts the marker right.
    await this.runCleanup(args.nowMs).catch((err) =>
      console.warn(JSON.stringify({ level: 'warn', where: 'mintToken cleanup', error: String(err) })),
    );
    return minted;
  }

  authenticate(tokenHash: string, nowMs: number) {
    return this.tx(() => tokens.verify(this.sql, tokenHash, nowMs));
  }

  revokeToken(tokenHash: string, nowMs: number) {
    return this.tx(() => tokens.revoke(this.sql, tokenHash, nowMs));
  }

  // ── credits ───────────────────────────────────────────────────────────────
  balance() {
    return this.tx(() => credits.balance(this.sql));
  }

  ledger(limit = 500) {
    return this.tx(() => credits.ledger(this.sql, limit));
  }

  freezeCredits(ref: string, amount: number, note: string, bindUrl: string | null, nowMs = Date.now()) {
    return this.tx(() => credits.freeze(this.sql, ref, amount, note, nowMs, bindUrl));
  }

  settleCredits(ref: string, kind: 'spend' | 'refund', note: string, nowMs = Date.now()) {
    return this.tx(() => credits.settle(this.sql, ref, kind, note, nowMs));
  }

  // ── sessions and drafts ───────────────────────────────────────────────────
  createSession(args: { taskName: string; language: string; attribution: Attribution; id?: string }) {
    return this.tx(() => createSession(this.sql, args, Date.now()));
  }

  getSession(sessionId: string) {
    return this.tx(() => getSession(this.sql, sessionId));
  }

  listSessions() {
    return this.tx(() => listSessions(this.sql));
  }

  /** Deletes the session's rows, then its objects in R2 (rows first: a crash leaves orphans, not dangling rows). */
  async deleteSession(
    sessionId: string,
  ): Promise<RpcResult<{ deleted: string; objects: number; cancelled_jobs: string[] }>> {
    const left = this.tx(() => deleteSessionState(this.sql, sessionId, Date.now()));
    if (!left.ok) return left;
    await terminateCancelled(this.env.RENDER_WORKFLOW, left.value);
    const objects = await deleteSessionObjects(this.env.MEDIA, left.value);
    return {
      rpc: 1,
      ok: true,
      value: { deleted: sessionId, objects, cancelled_jobs: left.value.cancelledJobs },
    };
  }

  getDraft(sessionId: string) {
    return this.tx(() => readDraft(this.sql, sessionId));
  }

  commitDraft(sessionId: string, draft: Draft, args: { op: string; baseVersion?: number }) {
    return this.tx(() => commitDraft(this.sql, sessionId, draft, args, Date.now()));
  }

  undo(sessionId: string) {
    return this.tx(() => moveHead(this.sql, sessionId, -1, Date.now()));
  }

  redo(sessionId: string) {
    return this.tx(() => moveHead(this.sql, sessionId, 1, Date.now()));
  }

  draftHistory(sessionId: string) {
    return this.tx(() => draftHistory(this.sql, sessionId));
  }

  // ── chat ──────────────────────────────────────────────────────────────────
  appendChat(sessionId: string, entries: ChatEntry[]) {
    return this.tx(() => appendChat(this.sql, sessionId, entries, Date.now()));
  }

  chatHistory(sessionId: string, limit = 200) {
    return this.tx(() => chatHistory(this.sql, sessionId, limit));
  }

  // ── recorded turns (retried /run_sse replays, src/durable/turns.ts) ───────
  claimTurn(args: { sessionId: string; key: string; fingerprint: string; invocationId: string }) {
    return this.tx(() => turns.claimTurn(this.sql, args, Date.now()));
  }

  appendTurn(args: { sessionId: string; key: string; frames: string[]; done: boolean }) {
    return this.tx(() => turns.appendTurn(this.sql, args, Date.now()));
  }

  readTurn(sessionId: string, key: string, fromSeq: number) {
    return this.tx(() => turns.readTurn(this.sql, sessionId, key, fromSeq, Date.now()));
  }

  // ── media ─────────────────────────────────────────────────────────────────
  addMedia(sessionId: string, media: NewMedia, probe: ProbeResult | null) {
    return this.tx(() => addMedia(this.sql, sessionId, media, probe, Date.now()));
  }

  /** Several uploads of one request land together or not at all. */
  addMediaBatch(sessionId: string, items: { media: NewMedia; probe: ProbeResult | null }[]) {
    return this.tx(() => items.map((i) => addMedia(this.sql, sessionId, i.media, i.probe, Date.now())));
  }

  listMedia(sessionId: string) {
    return this.tx(() => listMedia(this.sql, sessionId));
  }

  getMedia(sessionId: string, mediaId: string) {
    return this.tx(() => getMedia(this.sql, sessionId, mediaId));
  }
  // ── registration ──────────────────────────────────────────────────────────
  getRegistration() {
    return this.tx(() => registration.registration(this.sql));
  }

  /** A new pending email verification (replacing any other); null when no user lives here. */
  startVerification(emailHash: string, tokenHash: string) {
    return this.tx(() => verification.startVerification(this.sql, emailHash, tokenHash, Date.now()));
  }

  checkVerification(tokenHash: string) {
    return this.tx(() => verification.checkVerification(this.sql, tokenHash, Date.now()));
  }
  /** Uses the token and grants the registration credits (once, in the same transaction). */
  completeVerification(tokenHash: string) {
    return this.tx(() => verification.completeVerification(this.sql, tokenHash, Date.now()));
  }

  /** On an object named after an email hash: its owner, without claiming it. */
  claimOwner() {
    return this.tx(() => registration.claimOwner(this.sql));
  }

  /** On an object named after an email hash: first caller owns it. */
  claim(owner: string) {
    return this.tx(() => registration.claim(this.sql, owner, Date.now()));
  }

  // ── renders ───────────────────────────────────────────────────────────────
  /** Create-or-get the render and freeze its cost in one transaction (idempotent on the render id). */
  async createRender(r: renders.NewRender) {
    const result = this.tx(() => renders.createOrGetRender(this.sql, r, Date.now()));
    // Should its workflow never run, the alarm finds the render stale and returns its credits.
    if (result.ok && result.value.created) await this.armAlarmBy(Date.now() + renders.STALE_RENDER_MS);
    return result;
  }

  getRender(renderId: string) {
    return this.tx(() => renders.getRender(this.sql, renderId));
  }

  setRenderJob(renderId: string, attempt: number, jobId: string) {
    return this.tx(() => renders.setRenderJob(this.sql, renderId, attempt, jobId, Date.now()));
  }

  noteRenderProgress(renderId: string, progress: number) {
    return this.tx(() => renders.noteProgress(this.sql, renderId, progress, Date.now()));
  }

  recordRenderOutput(renderId: string, output: renders.RenderOutput) {
    return this.tx(() => renders.recordOutput(this.sql, renderId, output, Date.now()));
  }

  /** A done render's files expire: make sure the alarm wakes up by then to delete them. */
  async finishRender(renderId: string, status: 'done' | 'failed', error: string | null) {
    const result = this.tx(() => renders.finishRender(this.sql, renderId, status, error, Date.now()));
    const expiresAt = result.ok ? result.value?.expires_at : null;
    if (expiresAt) await this.armAlarmBy(expiresAt);
    return result;
  }

  private async armAlarmBy(atMs: number) {
    const alarm = await this.ctx.storage.getAlarm();
    if (alarm === null || alarm > atMs) await this.ctx.storage.setAlarm(atMs);
  }

  listSessionRenders(sessionId: string, status?: renders.RenderStatus) {
    return this.tx(() => renders.listSessionRenders(this.sql, sessionId, status));
  }

  cancelRender(renderId: string, reason?: string) {
    return this.tx(() => renders.cancelRender(this.sql, renderId, Date.now(), reason));
  }

  getSharedRender(shareId: string) {
    return this.tx(() => renders.getByShareId(this.sql, shareId));
  }

  /** Revokes expired tokens, purges a long-expired user in batches, re-arms the alarm (src/durable/cleanup.ts). */
  async runCleanup(nowMs = Date.now()) {
    const result = await runUserCleanup(this.ctx.storage, this.env.MEDIA, this.env.RENDER_WORKFLOW, nowMs);
    if (result.nextAlarmMs !== null) await this.ctx.storage.setAlarm(result.nextAlarmMs);
    else await this.ctx.storage.deleteAlarm();
    return result;
  }

  override async alarm() {
    await this.runCleanup(Date.now());
  }

  // ── tus uploads ───────────────────────────────────────────────────────────
  /** Arms the alarm for the day this upload goes stale, should the client never come back. */
  async tusCreate(upload: tus.NewTusUpload) {
    const nowMs = Date.now();
    const result = this.tx(() => tus.createTusUpload(this.sql, upload, nowMs));
    if (result.ok) await this.armAlarmBy(nowMs + tus.TUS_STALE_MS + 1000);
    return result;
  }

  tusGet(sessionId: string, uploadId: string) {
    return this.tx(() => tus.getTusUpload(this.sql, sessionId, uploadId));
  }

  tusBeginPatch(sessionId: string, uploadId: string, offset: number, lockToken: string) {
    return this.tx(() => tus.beginTusPatch(this.sql, sessionId, uploadId, offset, lockToken, Date.now()));
  }

  tusTouch(uploadId: string, lockToken: string) {
    return this.tx(() => tus.touchTusLock(this.sql, uploadId, lockToken, Date.now()));
  }

  tusSaveProgress(uploadId: string, lockToken: string, progress: tus.TusProgress, release: boolean) {
    return this.tx(() => tus.saveTusProgress(this.sql, uploadId, lockToken, progress, release, Date.now()));
  }

  tusComplete(uploadId: string, lockToken: string, media: NewMedia, probe: ProbeResult | null) {
    return this.tx(() => tus.completeTusUpload(this.sql, uploadId, lockToken, media, probe, Date.now()));
  }

  /** `sessionId` null: no ownership check (the upload is being abandoned by the server itself). */
  tusRemove(uploadId: string, sessionId: string | null) {
    return this.tx(() => tus.removeTusUpload(this.sql, uploadId, sessionId));
  }
}
