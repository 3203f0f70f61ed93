import { z } from 'zod';
import { defineOp } from './define-op.ts';
import { OpError, TRACK_ZH } from './types.ts';

export const removeTrackArgs = z.object({
  target: z.enum(['captions', 'music', 'title', 'text']).describe('Which added layer to remove'),
});

const KIND = { captions: 'caption', music: 'music', title: 'title', text: 'text' } as const;

export const removeTrack = defineOp({
  name: 'remove_track',
  description: 'Remove the captions, the background music, the title or the text overlays.',
  args: removeTrackArgs,
  edit(draft, args) {
    const kind = KIND[args.target];
    const kept = draft.t.filter((t) => t.m.kind !== kind);
    if (kept.length === draft.t.length)
      throw new OpError(
        'track_not_found',
        `There is no ${args.target} track to remove.`,
        `没有可以删除的${TRACK_ZH[args.target] ?? args.target}轨道。`,
      );
    draft.t = kept;
    if (args.target === 'title' && draft.m) {
      const { title: _title, ...m } = draft.m;
      draft.m = m;
    }
    return draft;
  },
});
