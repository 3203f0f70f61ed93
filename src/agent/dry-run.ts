/**
 * "What would you cut?": the plan's edits run on a copy, the words they would remove are listed
 * with their times, nothing is saved, and the plan is kept as a proposal that "ok, do it" applies
 * exactly (if the timeline has not changed meanwhile).
 */
import { EDIT_OPS } from '../draft/ops/index.ts';
import { sourcePointToTimeline } from '../draft/ops/timeline.ts';
import type { MediaAnalysis } from '../draft/ops/types.ts';
import { locateWords } from '../draft/ops/word-match.ts';
import type { Draft } from '../draft/schema.ts';
import { TurnError } from './errors.ts';
import type { Lang } from './messages.ts';
import type { PlanCall } from './planner/types.ts';

export interface Proposal {
  calls: PlanCall[];
  /** The draft version the proposal was computed on. */
  version: number;
}

export interface DryRunState {
  working: Draft;
  version: number;
  pending: string[];
  changes: string[];
  analysis: Record<string, MediaAnalysis>;
}

const clock = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 100) / 10);
  return `${Math.floor(s / 60)}:${(s % 60).toFixed(1).padStart(4, '0')}`;
};

/** Runs of words kept in `before` and cut in `after`, with where they were on the timeline. */
export function removedRuns(before: Draft, after: Draft, analysis: Record<string, MediaAnalysis>) {
  const cutAfter = new Set(
    locateWords(after, { analysis })
      .filter((w) => w.at === null)
      .map((w) => w.id),
  );
  const runs: { text: string[]; at: number }[] = [];
  let open = false;
  for (const w of locateWords(before, { analysis })) {
    if (w.at === null) continue;
    if (cutAfter.has(w.id)) {
      if (!open) runs.push({ text: [], at: sourcePointToTimeline(before, w.src, w.s) ?? w.at });
      runs.at(-1)!.text.push(w.w);
      open = true;
    } else open = false;
  }
  return runs;
}

export async function dryRun(
  apply: (call: PlanCall) => Promise<void>,
  state: DryRunState,
  calls: PlanCall[],
  lang: Lang,
  save?: (p: Proposal | null) => Promise<void>,
): Promise<string> {
  const before = state.working;
  const kept: PlanCall[] = [];
  const notes: string[] = [];
  for (const call of calls) {
    if (!EDIT_OPS[call.name]) continue; // a dry run never renders, undoes or exports
    try {
      await apply(call);
      kept.push(call);
    } catch (err) {
      // "No pauses found" is an answer too; anything else stops the dry run like any turn.
      if (!(err instanceof TurnError) || err.code === 'INVALID_ARGS') throw err;
      notes.push(err.message);
    }
  }
  const after = state.working;
  const runs = removedRuns(before, after, state.analysis);
  // Nothing of this is kept: the copy goes, the proposal stays for "ok, do it".
  state.working = before;
  state.pending = [];
  state.changes = [];
  await save?.(kept.length ? { calls: kept, version: state.version } : null);
  const seconds = Math.round((before.d - after.d) / 100) / 10;
  const shown = runs.slice(0, 12).map((r) => `“${r.text.join(lang === 'zh' ? '' : ' ')}” (${clock(r.at)})`);
  const more = runs.length > 12 ? (lang === 'zh' ? ` 等 ${runs.length} 处` : ` and ${runs.length - 12} more`) : '';
  if (lang === 'zh')
    return [
      '还没有做任何改动。',
      kept.length
        ? `这样会剪掉 ${seconds} 秒${runs.length ? `：${shown.join('；')}${more}` : '（只是停顿，没有词）'}。`
        : '',
      ...notes,
      kept.length ? '说“好的，执行”就照此执行。' : '',
    ]
      .filter(Boolean)
      .join('\n');
  return [
    'Nothing is changed yet.',
    kept.length
      ? `This would cut ${seconds} s${runs.length ? `: ${shown.join('; ')}${more}` : ' (pauses only, no words)'}.`
      : '',
    ...notes,
    kept.length ? 'Say "ok, do it" to apply exactly that.' : '',
  ]
    .filter(Boolean)
    .join('\n');
}
