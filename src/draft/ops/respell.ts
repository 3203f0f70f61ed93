/**
 * "The name is spelled Siobhan": the user gives the spelling, not the word the recogniser wrote.
 * The word meant is the one that sounds most like it: words are compared by a rough English
 * sound key (ph/bh → f, sh/ch → s/k, vowels after the first letter dropped), and the closest
 * word within the speech (at least 0.6 alike) is corrected as correct_captions would, remembered
 * in the session's glossary.
 */
import { z } from 'zod';
import { correctCaptions } from './correct-captions.ts';
import { defineOp } from './define-op.ts';
import { similarity } from './edit-distance.ts';
import { wordKey } from './glossary.ts';
import { mainTrackSources } from './timeline.ts';
import { OpError } from './types.ts';

export const respellArgs = z.object({
  spelling: z.string().trim().min(2).max(100).describe('How the name or word is really spelled'),
});

/** A rough sound key for English-like spellings ("Siobhan" and "shivon" both give "sfn"). */
export function soundKey(word: string): string {
  const w = wordKey(word)
    .replace(/'/g, '')
    .replace(/ph|bh|mh|v/g, 'f')
    .replace(/sh|sch|z/g, 's')
    .replace(/ch|ck|c|q|g/g, 'k')
    .replace(/x/g, 'ks')
    .replace(/(.)\1+/g, '$1');
  return w.slice(0, 1) + w.slice(1).replace(/[aeiouyhw]/g, '');
}

export const respell = defineOp({
  name: 'respell',
  description: 'Correct how a name or word is spelled in the captions, given only the right spelling.',
  args: respellArgs,
  needsAnalysis: 'words',
  edit(draft, args, ctx) {
    const target = soundKey(args.spelling);
    let best: { word: string; score: number } | null = null;
    for (const src of mainTrackSources(draft))
      for (const w of ctx.analysis[src]?.words ?? []) {
        const word = w.w.replace(/[^\p{L}\p{N}'-]+$/u, '').replace(/^[^\p{L}\p{N}]+/u, '');
        if (!word || wordKey(word) === wordKey(args.spelling)) continue;
        const score =
          similarity(soundKey(word), target) * 0.7 + similarity(wordKey(word), wordKey(args.spelling)) * 0.3;
        if (!best || score > best.score) best = { word, score };
      }
    if (!best || best.score < 0.6)
      throw new OpError(
        'no_similar_word',
        `No word in the speech sounds like "${args.spelling}". Tell me which word to change, e.g. change 'shivon' to '${args.spelling}'.`,
        `语音里没有听起来像“${args.spelling}”的词。请告诉我要改哪个词，例如：把'xx'改成'${args.spelling}'。`,
      );
    return correctCaptions.apply(draft, { from: best.word, to: args.spelling }, ctx);
  },
});
