/**
 * One file at a time: "work on interview.mp4 on its own", "next file", "第二个视频单独处理" start
 * the timeline over from those files' sources alone (sized from the first), so their edits and
 * render are their own; "put them all together" starts it over with every clip. Earlier renders
 * are separate objects and stay downloadable; undo brings the previous timeline back.
 */
import { z } from 'zod';
import { type Draft, OUTPUT_SIZES } from '../schema.ts';
import { appendClips, aspectOf, IMAGE_DURATION_MS } from './clips.ts';
import { defineOp } from './define-op.ts';
import { OpError } from './types.ts';
import { findMedia } from './util.ts';

export const useMediaArgs = z.object({
  media_ids: z.array(z.string().min(1)).min(1).max(50).describe('The files the timeline should hold, in order'),
});

export const useMedia = defineOp({
  name: 'use_media',
  description: 'Start the timeline over with only these uploaded files (one file at a time, or all together).',
  args: useMediaArgs,
  edit(draft, args, ctx) {
    const media = args.media_ids.map((id) => findMedia(ctx, id));
    const audio = media.find((m) => m.kind === 'audio');
    if (audio)
      throw new OpError(
        'not_visual',
        `${audio.name} is audio: use it as music instead.`,
        `${audio.name} 是音频：可以用作背景音乐。`,
      );
    const aspect = aspectOf(media[0]!.width, media[0]!.height) ?? '9:16';
    // Session-wide settings (the caption glossary) carry over; the tracks start over.
    const fresh: Draft = {
      v: 1,
      w: OUTPUT_SIZES[aspect].w,
      h: OUTPUT_SIZES[aspect].h,
      fps: draft.fps,
      d: 0,
      t: [],
      m: draft.m,
    };
    return appendClips.apply(fresh, { media_ids: args.media_ids, image_duration_ms: IMAGE_DURATION_MS }, ctx);
  },
});
