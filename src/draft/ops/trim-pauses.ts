import { z } from 'zod';
import { defineOp } from './define-op.ts';
import { rippleDelete } from './ripple.ts';
import { mainTrackSources, sourceToTimeline } from './timeline.ts';
import { type Interval, OpError } from './types.ts';
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
    const ranges: Interval[] = [];
    for (const src of mainTrackSources(draft)) {
      const analysis = ctx.analysis[src];
      if (!analysis) continue;
      for (const pause of analysis.pauses) {
        if (pause.e - pause.s < args.min_silence_ms) continue;
        const cut = { s: pause.s + args.margin_after_ms, e: pause.e - args.margin_before_ms };
        if (cut.e > cut.s) ranges.push(...sourceToTimeline(draft, src, cut));
      }
    }
    if (ranges.length === 0)
      throw new OpError(
        'nothing_to_trim',
        `No pauses of ${args.min_silence_ms} ms or longer found.`,
        `没有找到 ${args.min_silence_ms} 毫秒以上的停顿。`,
      );
    return rippleDelete(draft, ranges);
  },
});
