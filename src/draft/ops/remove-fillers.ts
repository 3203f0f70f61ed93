import { z } from 'zod';
import { isSpaceless } from './captions-text.ts';
import { defineOp } from './define-op.ts';
import { matchAt } from './glossary.ts';
import { rippleDelete } from './ripple.ts';
import { mainTrackSources, sourceToTimeline } from './timeline.ts';
import { type Interval, OpError } from './types.ts';
import { requireMainVideo } from './util.ts';

export const removeFillersArgs = z.object({
  padding_ms: z.number().int().min(0).max(300).default(30).describe('Extra audio removed around each filler'),
  extra_words: z
    .array(z.string().min(1))
    .max(20)
    .default([])
    .describe('More words to cut wherever spoken (e.g. "like")'),
});

export const removeFillers = defineOp({
  name: 'remove_fillers',
  description: 'Cut filler words (um, uh, 嗯, 呃 ...) out of the speech. Needs a transcript.',
  args: removeFillersArgs,
  needsAnalysis: 'words',
  edit(draft, args, ctx) {
    requireMainVideo(draft);
    const spaceless = isSpaceless(ctx.language);
    const ranges: Interval[] = [];
    const cut = (src: string, s: number, e: number) =>
      ranges.push(...sourceToTimeline(draft, src, { s: s - args.padding_ms, e: e + args.padding_ms }));
    for (const src of mainTrackSources(draft)) {
      const words = ctx.analysis[src]?.words ?? [];
      for (const word of words) if (word.filler) cut(src, word.s, word.e);
      // Extra words may be phrases ("you know"), or Chinese words the recogniser split ("那" "个").
      for (const phrase of args.extra_words)
        for (let i = 0; i < words.length; i++) {
          const end = matchAt(words, i, phrase, spaceless);
          if (end > 0) cut(src, words[i]!.s, words[end - 1]!.e);
        }
    }
    if (ranges.length === 0)
      throw new OpError('nothing_to_trim', 'No filler words found in the speech.', '语音里没有找到口头禅。');
    return rippleDelete(draft, ranges);
  },
});
