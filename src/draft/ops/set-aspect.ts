import { z } from 'zod';
import { OUTPUT_SIZES, TrackType } from '../schema.ts';
import { defineOp } from './define-op.ts';

export const ASPECTS = ['16:9', '9:16', '1:1', '4:5'] as const satisfies readonly (keyof typeof OUTPUT_SIZES)[];

export const setAspectArgs = z.object({
  aspect: z.enum(ASPECTS),
  fit: z
    .enum(['cover', 'contain'])
    .default('cover')
    .describe('cover = fill the frame (crop), contain = fit whole (bars)'),
});

export const setAspect = defineOp({
  name: 'set_aspect',
  description: 'Change the output aspect ratio (16:9, 9:16, 1:1, 4:5) and how clips fill the frame.',
  args: setAspectArgs,
  edit(draft, args) {
    const { w, h } = OUTPUT_SIZES[args.aspect];
    draft.w = w;
    draft.h = h;
    for (const track of draft.t) if (track.tt === TrackType.video) for (const seg of track.sg) seg.m.fit = args.fit;
    return draft;
  },
});
