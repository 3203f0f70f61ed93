import { z } from 'zod';
import { defineOp } from './define-op.ts';
import { rippleDelete } from './ripple.ts';
import { OpError } from './types.ts';

export const cutRangeArgs = z
  .object({ start_ms: z.number().int().min(0), end_ms: z.number().int().positive() })
  .refine((a) => a.end_ms > a.start_ms, { message: 'end_ms must be after start_ms', path: ['end_ms'] });

export const trimToArgs = z
  .object({
    start_ms: z.number().int().min(0).default(0),
    end_ms: z.number().int().positive().optional().describe('Default: the end of the video'),
  })
  .refine((a) => a.end_ms === undefined || a.end_ms > a.start_ms, {
    message: 'end_ms must be after start_ms',
    path: ['end_ms'],
  });

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}

const outOfRange = (ms: number) =>
  new OpError('out_of_range', `The video is only ${seconds(ms)} long.`, `视频只有 ${Math.round(ms / 100) / 10} 秒。`);

export const cutRange = defineOp({
  name: 'cut_range',
  description: 'Remove a time range from the timeline (later content moves up).',
  args: cutRangeArgs,
  edit(draft, args) {
    if (args.start_ms >= draft.d) throw outOfRange(draft.d);
    if (args.start_ms === 0 && args.end_ms >= draft.d)
      throw new OpError('cut_everything', 'That would cut the whole video.', '这样会把整个视频剪掉。');
    return rippleDelete(draft, [{ s: args.start_ms, e: Math.min(args.end_ms, draft.d) }]);
  },
});

export const trimTo = defineOp({
  name: 'trim_to',
  description: 'Keep only a time range of the timeline and drop the rest.',
  args: trimToArgs,
  edit(draft, args) {
    const end = Math.min(args.end_ms ?? draft.d, draft.d);
    if (args.start_ms >= end) throw outOfRange(draft.d);
    return rippleDelete(draft, [
      { s: 0, e: args.start_ms },
      { s: end, e: draft.d },
    ]);
  },
});
