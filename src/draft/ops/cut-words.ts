/**
 * Editing by the words: cut a run of words (by their transcript ids, or by the phrases that start
 * and end it), or restore words an earlier cut removed. Cuts land between words, on the pauses,
 * with the margins pause trimming keeps (150 ms after the last kept word, 100 ms before the next),
 * so no word is clipped.
 */
import { z } from 'zod';
import type { Draft } from '../schema.ts';
import { defineOp } from './define-op.ts';
import { rippleDelete } from './ripple.ts';
import { sourcePointToTimeline } from './timeline.ts';
import { type Interval, type OpContext, OpError } from './types.ts';
import { requireMainVideo } from './util.ts';
import { findPhrase, type LocatedWord, locateWords } from './word-match.ts';

export const cutWordsArgs = z
  .object({
    from_id: z.string().max(200).optional().describe('Transcript id of the first word to cut'),
    to_id: z.string().max(200).optional().describe('Transcript id of the last word to cut (default: from_id)'),
    from_text: z.string().min(1).max(200).optional().describe('The words the cut starts with, as spoken'),
    to_text: z.string().min(1).max(200).optional().describe('The words the cut ends with (default: from_text)'),
    margin_after_ms: z.number().int().min(0).max(2000).default(150).describe('Silence kept after the word before'),
    margin_before_ms: z.number().int().min(0).max(2000).default(100).describe('Silence kept before the word after'),
  })
  .refine((a) => a.from_id !== undefined || a.from_text !== undefined, {
    message: 'name the first word to cut: from_id or from_text',
    path: ['from_id'],
  });

const notFound = (what: string) =>
  new OpError('word_not_found', `"${what}" is not in the remaining speech.`, `剩下的语音里没有找到“${what}”。`);

/** Index range (into `words`) of the run to cut. */
function resolveRun(words: LocatedWord[], args: z.output<typeof cutWordsArgs>, language: string) {
  if (args.from_id !== undefined) {
    const first = words.findIndex((w) => w.id === args.from_id);
    const last = words.findIndex((w) => w.id === (args.to_id ?? args.from_id));
    if (first < 0) throw notFound(args.from_id);
    if (last < 0) throw notFound(args.to_id ?? '');
    if (last < first)
      throw new OpError('bad_range', 'The last word comes before the first.', '结束的词在开始的词前面。');
    return { first, last };
  }
  const start = findPhrase(words, args.from_text!, language);
  if (!start) throw notFound(args.from_text!);
  if (args.to_text === undefined) return start;
  const end = findPhrase(words, args.to_text, language, start.first);
  if (!end) throw notFound(args.to_text);
  return { first: start.first, last: end.last };
}

/** Timeline point of a source instant of a kept word (its middle if the edge itself was trimmed). */
function at(draft: Draft, w: LocatedWord, t: number): number {
  return sourcePointToTimeline(draft, w.src, t) ?? w.at!;
}

/**
 * The timeline range that removes kept words `first..last` (indices into `words`) with the pauses
 * around them, keeping `margin_after_ms` after the word before and `margin_before_ms` before the
 * word after, and never reaching into either.
 */
export function runRange(
  draft: Draft,
  words: readonly LocatedWord[],
  first: number,
  last: number,
  margins: { margin_after_ms: number; margin_before_ms: number },
): Interval {
  const run = words.slice(first, last + 1).filter((w) => w.at !== null);
  if (run.length === 0) throw new OpError('already_cut', 'Those words are already cut.', '这些词已经剪掉了。');
  const prev = words.slice(0, first).findLast((w) => w.at !== null);
  const next = words.slice(last + 1).find((w) => w.at !== null);
  const start = Math.min(...run.map((w) => at(draft, w, w.s)));
  const end = Math.max(...run.map((w) => at(draft, w, w.e)));
  const prevEnd = prev ? at(draft, prev, prev.e) : null;
  const nextStart = next ? at(draft, next, next.s) : null;
  return {
    s: prevEnd === null ? start : Math.min(start, prevEnd + margins.margin_after_ms),
    e: nextStart === null ? end : Math.max(end, nextStart - margins.margin_before_ms),
  };
}

export const cutWords = defineOp({
  name: 'cut_words',
  description:
    'Cut a run of spoken words (from the first to the last, inclusive) with the pauses around them; by transcript ids or by the phrases it starts and ends with.',
  args: cutWordsArgs,
  needsAnalysis: 'words',
  edit(draft, args, ctx: OpContext) {
    requireMainVideo(draft);
    const words = locateWords(draft, ctx);
    const { first, last } = resolveRun(words, args, ctx.language);
    const range = runRange(draft, words, first, last, args);
    if (range.s <= 0 && range.e >= draft.d)
      throw new OpError('cut_everything', 'That would cut the whole video.', '这样会把整个视频剪掉。');
    return rippleDelete(draft, [range]);
  },
});
