/**
 * Fitting many cuts into the draft limits. Every cut inside a clip splits it, so on an hour-long
 * source "trim the pauses" or "remove the ums" would make more pieces of one file than a draft
 * allows (DRAFT_LIMITS.maxSegmentsPerSource / maxSegments, src/draft/limits.ts). Instead of
 * failing, the ops cut the candidates that matter most (highest rank: the longest) as far as the
 * limits allow, and say so in the turn (pause-fit.ts, filler-fit.ts). Pure.
 */
import { segmentLimitProblem } from '../limits.ts';
import type { Draft } from '../schema.ts';
import { rippleDelete } from './ripple.ts';
import type { Interval } from './types.ts';
import { clone } from './util.ts';

export interface CutCandidate {
  /** Higher is cut first (e.g. the pause's or filler's length in ms). */
  rank: number;
  /** Timeline ranges this one cut removes. */
  ranges: Interval[];
}

export interface CutFit {
  /** Timeline ranges to ripple-delete. */
  ranges: Interval[];
  found: number;
  /** Candidates cut: `found`, or fewer when the limits did not allow more. */
  cut: number;
  /** Lowest rank among those cut (null when none were). */
  minRank: number | null;
}

/** Whether cutting `ranges` leaves a draft within the segment and decode limits. */
export function cutsFit(draft: Draft, ranges: Interval[]): boolean {
  return segmentLimitProblem(rippleDelete(clone(draft), ranges).t) === null;
}

/**
 * All candidates when the result is within the limits; otherwise the most highly ranked that fit
 * (ties by order given: earlier first), found by binary search over how many (cutting fewer never
 * makes more pieces). With `wholeRanks` equal ranks are cut together or not at all, so the result
 * reads as a threshold ("pauses of 1.2 s or longer"). With `share` below 1 (OpContext.cutShare),
 * only that share of the cuts that would fit is made, leaving room for the turn's next op.
 */
export function fitCuts(
  draft: Draft,
  candidates: readonly CutCandidate[],
  opts: { wholeRanks: boolean; share?: number },
): CutFit {
  const ranked = candidates.map((c, i) => ({ c, i })).sort((a, b) => b.c.rank - a.c.rank || a.i - b.i);
  const prefix = (k: number) => ranked.slice(0, k).flatMap((x) => x.c.ranges);
  const found = candidates.length;
  const result = (k: number): CutFit => ({
    ranges: prefix(k),
    found,
    cut: k,
    minRank: k > 0 ? ranked[k - 1]!.c.rank : null,
  });
  if (found === 0 || cutsFit(draft, prefix(found))) return result(found);
  // Not even the draft without cuts fits: the limit is not these cuts' doing; let it be reported.
  if (!cutsFit(draft, [])) return result(found);
  const sizes = [0];
  for (let k = 1; k <= found; k++)
    if (!opts.wholeRanks || k === found || ranked[k]!.c.rank !== ranked[k - 1]!.c.rank) sizes.push(k);
  // Invariant: sizes[lo] fits, sizes[hi] does not.
  let lo = 0;
  let hi = sizes.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (cutsFit(draft, prefix(sizes[mid]!))) lo = mid;
    else hi = mid;
  }
  const share = Math.min(1, Math.max(0, opts.share ?? 1));
  if (share >= 1) return result(sizes[lo]!);
  // The largest allowed size within the share of what fits (fewer cuts always fit too).
  const wanted = Math.floor(sizes[lo]! * share);
  return result(sizes.filter((k) => k <= wanted).at(-1) ?? 0);
}

/** 1.75 s, 0.5 s: to 10 ms, as precise as a threshold someone may type back. */
export const seconds = (ms: number) => (Math.round(ms / 10) / 100).toString();
export const minutes = (ms: number) => Math.max(1, Math.round(ms / 60_000));
export const thousands = (n: number) => n.toLocaleString('en-US');
