import { z } from 'zod';
import { defineOp } from './define-op.ts';
import { fillerFitNote, planFillerCuts } from './filler-fit.ts';
import { rippleDelete } from './ripple.ts';
import { OpError } from './types.ts';
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
    const plan = planFillerCuts(draft, args, ctx);
    if (plan.found === 0)
      throw new OpError('nothing_to_trim', 'No filler words found in the speech.', '语音里没有找到口头禅。');
    // found > 0 but none fit (the draft already holds as many pieces as allowed, e.g. after the
    // pauses were trimmed in the same turn): leave the draft as it is and let the note say so,
    // rather than fail the turn and lose the edits before this one.
    return plan.ranges.length ? rippleDelete(draft, plan.ranges) : draft;
  },
  note(draft, args, ctx) {
    return fillerFitNote(planFillerCuts(draft, args, ctx), draft);
  },
});
