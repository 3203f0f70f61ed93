/**
 * Retakes: a speaker starts a sentence, stops, and says it again ("So today I want to… So today I
 * want to show you my kitchen."). The kept speech is split into takes at sentence ends and at
 * pauses of 600 ms or more; a take whose words match the start of one of the next two takes
 * (similarity ≥ 0.6 by word edit distance) is an earlier attempt. The last take of each chain is
 * kept; the earlier ones, and anything said between them, are cut with the same margins as any
 * word cut.
 */
import { z } from 'zod';
import type { Draft } from '../schema.ts';
import { isSpaceless } from './captions-text.ts';
import { runRange } from './cut-words.ts';
import { defineOp } from './define-op.ts';
import { similarity } from './edit-distance.ts';
import { wordKey } from './glossary.ts';
import { rippleDelete } from './ripple.ts';
import { type Interval, type OpContext, OpError } from './types.ts';
import { requireMainVideo } from './util.ts';
import { type LocatedWord, locateWords } from './word-match.ts';

export const removeRetakesArgs = z.object({
  min_similarity: z.number().min(0.3).max(1).default(0.6).describe('How alike an earlier take must be'),
});

const TAKE_GAP_MS = 600;

export interface Take {
  first: number;
  last: number;
  keys: string[];
}

/** Takes of the kept speech: word index ranges into `words`. */
export function takes(words: readonly LocatedWord[], language: string): Take[] {
  const spaceless = isSpaceless(language);
  const out: Take[] = [];
  let current: number[] = [];
  const flush = () => {
    if (!current.length) return;
    const keys = current
      .flatMap((i) => (spaceless ? [...wordKey(words[i]!.w)] : [wordKey(words[i]!.w)]))
      .filter(Boolean);
    out.push({ first: current[0]!, last: current.at(-1)!, keys });
    current = [];
  };
  words.forEach((w, i) => {
    if (w.at === null || w.filler) return;
    const prev = current.length ? words[current.at(-1)!]! : null;
    // Source time: a pause trimmed short on the timeline still separated two takes when spoken.
    if (prev && (w.src !== prev.src || w.s - prev.e >= TAKE_GAP_MS)) flush();
    current.push(i);
    if (/[.?!。？！]$/.test(w.w)) flush();
  });
  flush();
  return out;
}

/** Earlier attempts to cut, as [first take, last take before the kept one] index pairs into `all`. */
export function findRetakes(all: readonly Take[], minSimilarity: number): { from: number; to: number; kept: number }[] {
  const found: { from: number; to: number; kept: number }[] = [];
  for (let i = 0; i < all.length; i++) {
    const a = all[i]!;
    if (a.keys.length < 2) continue;
    for (let j = i + 1; j <= Math.min(i + 2, all.length - 1); j++) {
      const b = all[j]!;
      // An earlier take matches how the later one starts (a complete repeat matches all of it).
      if (similarity(a.keys, b.keys.slice(0, a.keys.length)) >= minSimilarity) {
        found.push({ from: i, to: j - 1, kept: j });
        break;
      }
    }
  }
  return found;
}

export function retakeRanges(
  draft: Draft,
  ctx: Pick<OpContext, 'analysis' | 'language'>,
  minSimilarity = 0.6,
): Interval[] {
  const words = locateWords(draft, ctx);
  const all = takes(words, ctx.language);
  return findRetakes(all, minSimilarity).map((r) =>
    runRange(draft, words, all[r.from]!.first, all[r.to]!.last, { margin_after_ms: 150, margin_before_ms: 100 }),
  );
}

export const removeRetakes = defineOp({
  name: 'remove_retakes',
  description: 'Find repeated attempts at the same sentence and keep only the last take.',
  args: removeRetakesArgs,
  needsAnalysis: 'words',
  edit(draft, args, ctx) {
    requireMainVideo(draft);
    const ranges = retakeRanges(draft, ctx, args.min_similarity);
    if (ranges.length === 0)
      throw new OpError('no_retakes', 'No repeated takes were found in the speech.', '语音里没有找到重复的片段。');
    return rippleDelete(draft, ranges);
  },
});
