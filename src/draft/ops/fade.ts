import { z } from 'zod';
import { defineOp } from './define-op.ts';
import { OpError } from './types.ts';

export const fadeArgs = z.object({
  direction: z.enum(['in', 'out', 'both']).default('both'),
  duration_ms: z.number().int().min(0).max(10_000).default(1000).describe('0 removes the fade'),
});

export const fade = defineOp({
  name: 'fade',
  description: 'Fade the whole video (picture and sound) in from black and/or out to black.',
  args: fadeArgs,
  edit(draft, args) {
    if (draft.d > 0 && args.duration_ms * (args.direction === 'both' ? 2 : 1) > draft.d)
      throw new OpError('fade_too_long', 'The fade is longer than the video.', '淡入淡出比视频还长。');
    const m = { ...draft.m };
    for (const key of args.direction === 'both'
      ? (['fade_in', 'fade_out'] as const)
      : ([`fade_${args.direction}`] as const)) {
      if (args.duration_ms > 0) m[key] = args.duration_ms;
      else delete m[key];
    }
    draft.m = m;
    return draft;
  },
});
