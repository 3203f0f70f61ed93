import { z } from 'zod';
import type { Draft } from '../schema.ts';
import { rippleDelete } from './ripple.ts';
import { mainTrackSources, sourceToTimeline } from './timeline.ts';
import { defineOp, type Interval, OpError } from './types.ts';
import { clone, finish, requireMainVideo } from './util.ts';

export const removeFillersArgs = z.object({
  padding_ms: z.number().int().min(0).max(300).default(30).describe('Extra audio removed around each filler'),
  extra_words: z
    .array(z.string().min(1))
    .max(20)
    .default([])
    .describe('More words to cut wherever spoken (e.g. "like")'),
});

function normalizeWord(word: string): string {
  return word.toLowerCase().replace(/[^\p{L}\p{N}']/gu, '');
}

export const removeFillers = defineOp({
  name: 'remove_fillers',
  description: 'Cut filler words (um, uh, 嗯, 呃 ...) out of the speech. Needs a transcript.',
  args: removeFillersArgs,
  needsAnalysis: 'words',
  apply(input, args, ctx): Draft {
    const draft = clone(input);
    requireMainVideo(draft);
    const extra = new Set(args.extra_words.map(normalizeWord));
    const ranges: Interval[] = [];
    for (const src of mainTrackSources(draft)) {
      for (const word of ctx.analysis[src]?.words ?? []) {
        if (!word.filler && !extra.has(normalizeWord(word.w))) continue;
        ranges.push(...sourceToTimeline(draft, src, { s: word.s - args.padding_ms, e: word.e + args.padding_ms }));
      }
    }
    if (ranges.length === 0)
      throw new OpError('nothing_to_trim', 'No filler words found in the speech.', '语音里没有找到口头禅。');
    return finish(rippleDelete(draft, ranges));
  },
});
