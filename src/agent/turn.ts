/**
 * One chat turn: plan the message, apply every operation to an in-memory copy of the draft,
 * stream each as a functionCall/functionResponse pair, commit once, and end with a text that
 * says what changed plus the timeline summary. Any error discards the uncommitted edits, so a
 * failed or abandoned turn never leaves a half-applied draft.
 */

import { placeMedia } from '../draft/ops/clips.ts';
import { glossaryHotwords } from '../draft/ops/glossary.ts';
import { EDIT_OPS, isControlTool, type MediaAnalysis, OpError } from '../draft/ops/index.ts';
import { mainTrackSources } from '../draft/ops/timeline.ts';
import type { Draft } from '../draft/schema.ts';
import { langOf, summarizeTracks } from '../draft/summary.ts';
import { AppError } from '../lib/errors.ts';
import { describeIssues } from '../lib/validate.ts';
import type { MediaRow, TurnDeps, TurnOptions } from './deps.ts';
import { dryRun } from './dry-run.ts';
import { TurnError } from './errors.ts';
import { describeChange, type Lang, TEXT, uploadHelp } from './messages.ts';
import type { PlanCall } from './planner/types.ts';
import { analysisProgress } from './progress.ts';
import { reanalyse } from './reanalyse.ts';
import { renderStep } from './render-step.ts';
import type { EventSink } from './sse.ts';

export const HEARTBEAT_MS = 10_000;

interface TurnState {
  working: Draft;
  version: number;
  /** The last draft known to be stored: what the user has if this turn fails. */
  committed: Draft;
  pending: string[];
  changes: string[];
  replies: string[];
  analysis: Record<string, MediaAnalysis>;
}

function toTurnError(err: unknown, lang: Lang): TurnError {
  if (err instanceof TurnError) return lang === 'zh' && err.zh ? new TurnError(err.code, err.zh) : err;
  if (err instanceof OpError) return new TurnError(err.code.toUpperCase(), (lang === 'zh' && err.zh) || err.message);
  if (err instanceof AppError) return new TurnError(String(err.code), err.message);
  console.error(JSON.stringify({ level: 'error', msg: 'chat turn failed', error: String(err) }));
  return new TurnError(
    'INTERNAL',
    lang === 'zh' ? '我们这边出了点问题，没有做任何改动。' : 'Something went wrong on our side; nothing was changed.',
  );
}

async function commitPending(state: TurnState, deps: TurnDeps): Promise<void> {
  if (state.pending.length === 0) return;
  const { version } = await deps.commit(state.working, state.pending.join('+'), state.version);
  state.version = version;
  state.committed = state.working;
  state.pending = [];
}

/** Fetches the speech analysis an op needs, one functionCall/functionResponse pair per file. */
async function ensureAnalysis(sink: EventSink, deps: TurnDeps, state: TurnState, media: MediaRow[]): Promise<void> {
  for (const src of mainTrackSources(state.working)) {
    if (state.analysis[src]) continue;
    const row = media.find((m) => m.media_id === src);
    if (!row || row.kind === 'image' || (row.kind === 'video' && row.has_audio === false)) continue;
    const id = await sink.call('analyse_media', { media_id: row.media_id, name: row.name });
    try {
      // After "transcribe it again", later turns keep the words heard with the corrections.
      const prefer = glossaryHotwords(state.working.m?.glossary) || undefined;
      const { result, cached } = await deps.analyse(row, {
        ...(prefer ? { prefer } : {}),
        onProgress: analysisProgress(sink, deps, row.name),
      });
      state.analysis[src] = result;
      await sink.respond(id, 'analyse_media', {
        ok: true,
        media_id: row.media_id,
        pauses: result.pauses.length,
        words: result.words.length,
        language: result.language,
        asr_provider: result.asr_provider,
        cached,
      });
    } catch (err) {
      const e = toTurnError(err, langOf(deps.language));
      await sink.respond(id, 'analyse_media', { ok: false, error: e.message });
      throw e;
    }
  }
}

/** Ops that fit their cuts to the segment limits on long sources (src/draft/ops/fit-cuts.ts). */
const FITS_CUTS = new Set(['trim_pauses', 'remove_fillers']);

/**
 * Each such call's share of the room under the limits (OpContext.cutShare): 1/k, k the number of
 * them from this one to the end of the turn, so two of them split the room about evenly.
 */
export function cutShares(calls: readonly PlanCall[]): Map<PlanCall, number> {
  const shares = new Map<PlanCall, number>();
  let left = calls.filter((c) => FITS_CUTS.has(c.name)).length;
  for (const call of calls) if (FITS_CUTS.has(call.name)) shares.set(call, 1 / left--);
  return shares;
}

async function applyEdit(
  sink: EventSink,
  deps: TurnDeps,
  state: TurnState,
  call: PlanCall,
  media: MediaRow[],
  lang: Lang,
  cutShare = 1,
) {
  const op = EDIT_OPS[call.name]!;
  const parsed = op.args.safeParse(call.args);
  if (!parsed.success) throw new TurnError('INVALID_ARGS', `${call.name}: ${describeIssues(parsed.error)}`);
  if (op.needsAnalysis) await ensureAnalysis(sink, deps, state, media);
  const id = await sink.call(call.name, call.args);
  let next: Draft;
  let note: string | undefined;
  try {
    const ctx = { media, analysis: state.analysis, language: deps.language, cutShare };
    next = op.apply(state.working, parsed.data, ctx);
    // Said after "Done: …" when the op did less than asked (trim_pauses, remove_fillers within the segment limits).
    note = op.note?.(state.working, parsed.data, ctx)?.[lang];
  } catch (err) {
    const e = toTurnError(err, lang);
    await sink.respond(id, call.name, { ok: false, error: e.message });
    throw e;
  }
  const change = describeChange(lang, call.name, call.args, state.working, next, media);
  state.working = next;
  state.pending.push(call.name);
  state.changes.push(change);
  if (note) state.replies.push(note);
  await sink.respond(id, call.name, {
    ok: true,
    change,
    ...(note ? { note } : {}),
    duration_ms: next.d,
    tracks: next.t.length,
    width: next.w,
    height: next.h,
  });
}

async function applyControl(
  sink: EventSink,
  deps: TurnDeps,
  state: TurnState,
  call: PlanCall,
  lang: Lang,
  opts: TurnOptions,
) {
  const text = TEXT[lang];
  if (call.name === 'render') {
    await commitPending(state, deps);
    state.replies.push(await renderStep(sink, deps, state.working, call.args, lang, opts));
    return;
  }
  const id = await sink.call(call.name, call.args);
  if (call.name === 'undo' || call.name === 'redo') {
    await commitPending(state, deps);
    const moved = call.name === 'undo' ? await deps.undo() : await deps.redo();
    if (!moved) {
      state.replies.push(call.name === 'undo' ? text.nothingToUndo : text.nothingToRedo);
      await sink.respond(id, call.name, { ok: false, reason: `nothing to ${call.name}` });
      return;
    }
    state.working = state.committed = moved.draft;
    state.version = moved.version;
    state.changes.push(call.name === 'undo' ? text.undone(moved.op) : text.redone(moved.op));
    await sink.respond(id, call.name, { ok: true, version: moved.version, op: moved.op });
  } else if (call.name === 'show_credits') {
    const balance = await deps.balance();
    state.replies.push(text.credits(balance));
    await sink.respond(id, call.name, { ok: true, ...balance });
  } else if (call.name === 'upload_help') {
    const help = uploadHelp(lang, deps.sessionId);
    state.replies.push(help);
    await sink.respond(id, call.name, { ok: true, help });
  } else {
    await sink.respond(id, call.name, {
      ok: true,
      summary: summarizeTracks(state.working, deps.language),
      duration_ms: state.working.d,
      width: state.working.w,
      height: state.working.h,
    });
  }
}

export async function runTurn(sink: EventSink, deps: TurnDeps, message: string, opts: TurnOptions = {}): Promise<void> {
  const lang = langOf(deps.language);
  const text = TEXT[lang];
  sink.startHeartbeat(opts.heartbeatMs ?? HEARTBEAT_MS);
  let state: TurnState | undefined;
  let finalText: string;
  let initialVersion = -1;
  try {
    const [{ draft, version }, media] = await Promise.all([deps.loadDraft(), deps.listMedia()]);
    initialVersion = version;
    state = { working: draft, version, committed: draft, pending: [], changes: [], replies: [], analysis: {} };
    const canPlace = draft.t.length === 0 && media.some((m) => m.kind !== 'audio');
    const ctx = { media, analysis: {}, language: deps.language };
    const placed = canPlace ? placeMedia.apply(draft, {}, ctx) : null;
    const proposal = (await deps.loadProposal?.().catch(() => null)) ?? null;
    const plan = await deps.planner
      .plan({ text: message, language: deps.language, draft: placed ?? draft, media, proposal })
      .catch((err: unknown) => {
        console.error(
          JSON.stringify({ level: 'error', msg: 'planner failed', planner: deps.planner.name, error: String(err) }),
        );
        throw new TurnError(
          'PLANNER_UNAVAILABLE',
          `The ${deps.planner.name} planner could not be reached; nothing was changed. Try again.`,
        );
      });
    if (plan.clarify) {
      finalText = `${plan.clarify}\n${text.nothing} ${summarizeTracks(draft, deps.language)}`;
    } else if (plan.confirms !== undefined && plan.confirms !== version) {
      finalText = `${text.proposalStale}\n${summarizeTracks(draft, deps.language)}`;
    } else if (plan.dryRun) {
      const shares = cutShares(plan.calls);
      const apply = (call: PlanCall) => applyEdit(sink, deps, state!, call, media, lang, shares.get(call));
      const start = placed && state.working.t.length === 0 ? placed : state.working;
      state.working = start;
      finalText = await dryRun(apply, state, plan.calls, lang, deps.saveProposal);
      state.working = draft;
    } else {
      const wantsEdit = plan.calls.some((c) => EDIT_OPS[c.name] || c.name === 'render');
      // A request that names its own files ("only the first clip …") places them itself.
      const picksFiles = plan.calls[0]?.name === 'use_media';
      const calls: PlanCall[] =
        placed && wantsEdit && !picksFiles ? [{ name: 'place_media', args: {} }, ...plan.calls] : plan.calls;
      state.replies.push(...(plan.notes ?? []));
      const shares = cutShares(calls);
      for (const call of calls) {
        if (call.name === 'reanalyse')
          state.replies.push(
            await reanalyse(sink, deps, state, media, lang, (c) => applyEdit(sink, deps, state!, c, media, lang)),
          );
        else if (isControlTool(call.name)) await applyControl(sink, deps, state, call, lang, opts);
        else if (EDIT_OPS[call.name]) await applyEdit(sink, deps, state, call, media, lang, shares.get(call));
        else throw new TurnError('UNKNOWN_TOOL', `Unknown operation ${call.name}.`);
      }
      await commitPending(state, deps);
      if (plan.confirms !== undefined) await deps.saveProposal?.(null);
      const head = state.changes.length ? text.changed(state.changes) : state.replies.length ? '' : text.nothing;
      finalText = [head, ...state.replies, summarizeTracks(state.working, deps.language)].filter(Boolean).join('\n');
    }
  } catch (err) {
    const e = toTurnError(err, lang);
    await sink.text(e.message);
    await sink.error(e.code, e.message);
    const saved = state && state.version !== initialVersion ? text.partlySaved : text.failed;
    finalText = `${saved} ${state ? summarizeTracks(state.committed, deps.language) : ''}`.trim();
  } finally {
    sink.stopHeartbeat();
  }
  await sink.text(finalText, { stateDelta: state ? { draft_version: state.version } : {}, turnComplete: true });
  await deps
    .appendChat?.([
      { role: 'user', text: message },
      { role: 'model', text: finalText },
    ])
    .catch(() => {});
}
