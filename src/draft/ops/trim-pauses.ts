import { z } from 'zod';
import { defineOp } from './define-op.ts';
import { pauseFitNote, planPauseCuts } from './pause-fit.ts';
import { rippleDelete } from './ripple.ts';
import { OpError } from './types.ts';
import { requireMainVideo } from './util.ts';

export const trimPausesArgs = z.object({
  min_silence_ms: z.number().int().min(100).max(10_000).default(500).describe('Only pauses at least this long are cut'),
  margin_before_ms: z.number().int().min(0).max(2000).default(100).describe('Silence kept before speech resumes'),
  margin_after_ms: z.number().int().min(0).max(2000).default(150).describe('Silence kept after speech ends'),
});

export const trimPauses = defineOp({
  name: 'trim_pauses',
  description: 'Cut silent pauses out of the video (ripple: later content moves up). Needs speech analysis.',
  args: trimPausesArgs,
  needsAnalysis: 'pauses',
  edit(draft, args, ctx) {
    requireMainVideo(draft);
    const plan = planPauseCuts(draft, args, ctx.analysis, ctx.cutShare);
    if (plan.found > 0 && plan.cut === 0)
      throw new OpError(
        'too_many_pieces',
        'This timeline already holds as many pieces of its files as one draft allows, so no pause can be cut.',
        '时间线上同一文件的片段已达上限，无法再剪掉停顿。',
      );
    if (plan.ranges.length === 0)
      throw new OpError(
        'nothing_to_trim',
        `No pauses of ${args.min_silence_ms} ms or longer found.`,
        `没有找到 ${args.min_silence_ms} 毫秒以上的停顿。`,
      );
    return rippleDelete(draft, plan.ranges);
  },
  note(draft, args, ctx) {
    const shared = (ctx.cutShare ?? 1) < 1;
    return pauseFitNote(planPauseCuts(draft, args, ctx.analysis, ctx.cutShare), args, draft.d, shared);
  },
});
