/**
 * Which filler words "remove the ums" cuts. An hour of talk has hundreds of ums, each cut splitting
 * a clip, so all of them would make more pieces of one file than a draft allows. Then the longest
 * fillers (the most noticeable) that fit are cut (fit-cuts.ts) and the turn says how many
 * (fillerFitNote). After "trim the pauses" in the same turn, the pieces the trim left bound this.
 */
import type { Draft } from '../schema.ts';
import { isSpaceless } from './captions-text.ts';
import { type CutCandidate, type CutFit, fitCuts, minutes, thousands } from './fit-cuts.ts';
import { matchAt } from './glossary.ts';
import { mainTrackSources, sourceToTimeline } from './timeline.ts';
import type { OpContext } from './types.ts';

export interface FillerArgs {
  padding_ms: number;
  extra_words: string[];
}

/** One candidate per filler (or extra word / phrase) still on the timeline, ranked by its length. */
function candidates(draft: Draft, args: FillerArgs, ctx: Pick<OpContext, 'analysis' | 'language'>): CutCandidate[] {
  const spaceless = isSpaceless(ctx.language);
  const out: CutCandidate[] = [];
  const add = (src: string, s: number, e: number) => {
    const ranges = sourceToTimeline(draft, src, { s: s - args.padding_ms, e: e + args.padding_ms });
    if (ranges.length) out.push({ rank: e - s, ranges });
  };
  for (const src of mainTrackSources(draft)) {
    const words = ctx.analysis[src]?.words ?? [];
    for (const word of words) if (word.filler) add(src, word.s, word.e);
    // Extra words may be phrases ("you know"), or Chinese words the recogniser split ("那" "个").
    for (const phrase of args.extra_words)
      for (let i = 0; i < words.length; i++) {
        const end = matchAt(words, i, phrase, spaceless);
        if (end > 0) add(src, words[i]!.s, words[end - 1]!.e);
      }
  }
  return out;
}

/** The fillers to cut: all of them within the limits, else the longest that fit. Pure. */
export function planFillerCuts(
  draft: Draft,
  args: FillerArgs,
  ctx: Pick<OpContext, 'analysis' | 'language' | 'cutShare'>,
): CutFit {
  return fitCuts(draft, candidates(draft, args, ctx), { wholeRanks: false, share: ctx.cutShare });
}

/** Whether the draft already cut its main track's files (e.g. pauses trimmed earlier in the turn). */
function alreadyCut(draft: Draft): boolean {
  const sources = mainTrackSources(draft);
  const main = draft.t.find((t) => t.sg.some((sg) => 'src' in sg && sources.includes(sg.src as string)));
  return (main?.sg.length ?? 0) > sources.length;
}

/** What the turn says when the limits made the cut smaller than asked; null when they did not. */
export function fillerFitNote(plan: CutFit, draft: Draft): { en: string; zh: string } | null {
  if (plan.cut === plan.found) return null;
  const min = minutes(draft.d);
  const after = alreadyCut(draft);
  const removedEn = plan.cut === 0 ? 'I could remove none of them' : `I removed the ${thousands(plan.cut)} longest`;
  const removedZh = plan.cut === 0 ? '一个也没能去掉' : `我去掉了最长的 ${plan.cut} 个`;
  return {
    en:
      `This ${min}-minute video has ${thousands(plan.found)} ums, uhs and other filler words; ${removedEn}: ` +
      `the most one draft can cut from one file${after ? ', on top of the cuts already made (such as trimmed pauses)' : ''}.`,
    zh:
      `这段 ${min} 分钟的视频有 ${plan.found} 个嗯、呃之类的口头禅；${removedZh}，` +
      `${after ? '加上已经剪掉的部分（比如停顿），' : ''}这是一个草稿能从同一个文件剪的上限。`,
  };
}
