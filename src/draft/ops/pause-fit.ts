/**
 * Which pauses "trim the pauses" cuts. Every cut splits a clip, so an hour-long talk with a pause
 * per sentence would make more pieces of one file than a draft allows (DRAFT_LIMITS
 * .maxSegmentsPerSource / maxSegments, src/draft/limits.ts). Then the longest pauses that fit are
 * cut instead of failing (fit-cuts.ts): the minimum pause length is raised to the smallest value
 * whose cuts leave a draft within the limits, and the turn says so (pauseFitNote).
 */
import type { Draft } from '../schema.ts';
import { type CutCandidate, fitCuts, minutes, seconds, thousands } from './fit-cuts.ts';
import { mainTrackSources, sourceToTimeline } from './timeline.ts';
import type { Interval, OpContext } from './types.ts';

export interface PauseArgs {
  min_silence_ms: number;
  margin_before_ms: number;
  margin_after_ms: number;
}

export interface PausePlan {
  /** Timeline ranges to ripple-delete. */
  ranges: Interval[];
  /** Pauses at least args.min_silence_ms long (with something left to cut after the margins). */
  found: number;
  /** Pauses cut: `found`, or fewer when the limits forced a longer minimum. */
  cut: number;
  /** The minimum pause length used (ms): args.min_silence_ms, or the raised one. */
  minSilenceMs: number;
}

function candidates(draft: Draft, args: PauseArgs, analysis: OpContext['analysis']): CutCandidate[] {
  const out: CutCandidate[] = [];
  for (const src of mainTrackSources(draft)) {
    for (const pause of analysis[src]?.pauses ?? []) {
      const lengthMs = pause.e - pause.s;
      if (lengthMs < args.min_silence_ms) continue;
      const cut = { s: pause.s + args.margin_after_ms, e: pause.e - args.margin_before_ms };
      if (cut.e <= cut.s) continue;
      const ranges = sourceToTimeline(draft, src, cut);
      if (ranges.length) out.push({ rank: lengthMs, ranges });
    }
  }
  return out;
}

/**
 * The pauses to cut: all those of at least args.min_silence_ms when the result is within the
 * limits; otherwise those of at least the smallest pause length (one of the pauses' own lengths)
 * that fits (fit-cuts.ts, equal lengths cut together). Pure.
 */
export function planPauseCuts(draft: Draft, args: PauseArgs, analysis: OpContext['analysis'], share = 1): PausePlan {
  const fit = fitCuts(draft, candidates(draft, args, analysis), { wholeRanks: true, share });
  return {
    ranges: fit.ranges,
    found: fit.found,
    cut: fit.cut,
    minSilenceMs: fit.cut < fit.found && fit.minRank !== null ? fit.minRank : args.min_silence_ms,
  };
}

/** What the turn says when the limits made the cut smaller than asked; null when they did not. */
export function pauseFitNote(
  plan: PausePlan,
  args: PauseArgs,
  durationMs: number,
  shared = false,
): { en: string; zh: string } | null {
  if (plan.cut === plan.found) return null;
  const min = minutes(durationMs);
  // Shared: the turn asked for other cuts too (OpContext.cutShare), so this one left them room.
  const limitEn = shared
    ? 'leaving room under the most one draft can cut from one file for the other cuts you asked for'
    : 'the most one draft can cut from one file';
  const limitZh = shared
    ? '给你要求的其他剪辑留出了余量（一个草稿能从同一个文件剪的片段有上限）'
    : '这是一个草稿能从同一个文件剪的上限';
  return {
    en:
      `This ${min}-minute video has ${thousands(plan.found)} pauses of ${seconds(args.min_silence_ms)} s or longer; ` +
      `I trimmed the ${thousands(plan.cut)} longest (${seconds(plan.minSilenceMs)} s or longer), ${limitEn}. ` +
      'Say "trim the pauses longer than N seconds" to choose the threshold yourself.',
    zh:
      `这段 ${min} 分钟的视频有 ${plan.found} 处 ${seconds(args.min_silence_ms)} 秒以上的停顿；` +
      `我剪掉了最长的 ${plan.cut} 处（${seconds(plan.minSilenceMs)} 秒以上），${limitZh}。` +
      '想自己定标准，可以说“剪掉超过 N 秒的停顿”。',
  };
}
