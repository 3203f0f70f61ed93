/** Putting uploaded clips on the main video track: initial placement, append, reorder. */

import { z } from 'zod';
import { type AspectRatio, type Draft, OUTPUT_SIZES, TrackType, type VideoTrack } from '../schema.ts';
import { fitMusic } from './add-music.ts';
import { splitCaptionsAt } from './caption-split.ts';
import { defineOp } from './define-op.ts';
import { type MediaInfo, type OpContext, OpError } from './types.ts';
import { baseName, findMedia, finish, idMaker, mainVideoTrack } from './util.ts';

/** How long a still image stays on screen when appended (ms). */
export const IMAGE_DURATION_MS = 3000;

export const appendClipsArgs = z.object({
  media_ids: z.array(z.string().min(1)).min(1).max(50).describe('Uploaded videos/images, in the order to append'),
  image_duration_ms: z.number().int().min(500).max(60_000).default(IMAGE_DURATION_MS),
});
export const reorderArgs = z.object({
  order: z
    .array(z.number().int().min(1))
    .min(1)
    .describe('1-based positions of the current clips in their new order; unlisted clips follow in their old order'),
});
export const placeMediaArgs = z.object({
  aspect: z.enum(['16:9', '9:16', '1:1', '4:5']).optional().describe('Default: from the first clip'),
});

function append(draft: Draft, media: MediaInfo[], imageMs: number): Draft {
  const newId = idMaker(draft);
  let track = mainVideoTrack(draft);
  if (!track) {
    track = { id: newId('v'), tt: TrackType.video, m: { name: baseName(media[0]!.name) }, sg: [] } satisfies VideoTrack;
    draft.t.unshift(track);
  }
  let cursor = track.sg.reduce((end, seg) => Math.max(end, seg.s + seg.d), 0);
  for (const item of media) {
    if (item.kind === 'audio')
      throw new OpError(
        'not_visual',
        `${item.name} is audio: use it as music instead.`,
        `${item.name} 是音频：可以用作背景音乐。`,
      );
    const d = item.kind === 'image' ? imageMs : item.duration_ms;
    if (!d)
      throw new OpError(
        'unknown_duration',
        `The length of ${item.name} is unknown; re-upload it.`,
        `${item.name} 的时长未知，请重新上传。`,
      );
    track.sg.push({ id: newId('s'), src: item.media_id, s: cursor, d, in: 0, m: { fit: 'cover', speed: 1 } });
    cursor += d;
  }
  fitMusic(draft);
  return finish(draft);
}

/** The aspect closest to a clip's shape. */
export function aspectOf(width: number | null | undefined, height: number | null | undefined): AspectRatio | null {
  if (!width || !height) return null;
  const ratio = width / height;
  let best: AspectRatio = '9:16';
  for (const [name, size] of Object.entries(OUTPUT_SIZES) as [AspectRatio, { w: number; h: number }][]) {
    const r = size.w / size.h;
    if (Math.abs(Math.log(r / ratio)) < Math.abs(Math.log(OUTPUT_SIZES[best].w / OUTPUT_SIZES[best].h / ratio)))
      best = name;
  }
  return best;
}

export const appendClips = defineOp({
  name: 'append_clips',
  description: 'Append uploaded videos or images to the end of the main video track, in the given order.',
  args: appendClipsArgs,
  edit(draft, args, ctx) {
    return append(
      draft,
      args.media_ids.map((id) => findMedia(ctx, id)),
      args.image_duration_ms,
    );
  },
});

/** Visual media of the session, in upload order. */
export function visualMedia(ctx: OpContext): MediaInfo[] {
  return ctx.media.filter((m) => m.kind === 'video' || m.kind === 'image');
}

export const placeMedia = defineOp({
  name: 'place_media',
  description: 'Start the timeline: every uploaded video and image in upload order, sized from the first clip.',
  args: placeMediaArgs,
  edit(draft, args, ctx) {
    if (draft.t.length > 0)
      throw new OpError('not_empty', 'The timeline already has tracks.', '时间线上已经有轨道了。');
    const media = visualMedia(ctx);
    if (media.length === 0) throw new OpError('no_media', 'Upload a video or image first.', '请先上传视频或图片。');
    const aspect = args.aspect ?? aspectOf(media[0]!.width, media[0]!.height) ?? '9:16';
    draft.w = OUTPUT_SIZES[aspect].w;
    draft.h = OUTPUT_SIZES[aspect].h;
    return append(draft, media, IMAGE_DURATION_MS);
  },
});

export const reorder = defineOp({
  name: 'reorder',
  description: 'Reorder the clips of the main video track (titles and captions inside a clip move with it).',
  args: reorderArgs,
  edit(draft, args) {
    const track = mainVideoTrack(draft);
    const clips = [...(track?.sg ?? [])].sort((a, b) => a.s - b.s);
    if (!track || clips.length < 2)
      throw new OpError('nothing_to_reorder', 'There is only one clip on the timeline.', '时间线上只有一个片段。');
    const bad = args.order.find((n) => n > clips.length);
    if (bad)
      throw new OpError(
        'clip_not_found',
        `There is no clip ${bad}; the timeline has ${clips.length}.`,
        `没有第 ${bad} 个片段，时间线上共有 ${clips.length} 个。`,
      );
    // A caption crossing a clip boundary would be torn in two by the move: split it there first.
    const newId = idMaker(draft);
    splitCaptionsAt(
      draft,
      clips.slice(1).map((c) => c.s),
      () => newId('c'),
    );
    const order = [...new Set(args.order.map((n) => n - 1))];
    for (let i = 0; i < clips.length; i++) if (!order.includes(i)) order.push(i);
    const shifts = new Map<number, number>();
    let cursor = 0;
    const moved = order.map((i) => {
      const seg = clips[i]!;
      shifts.set(i, cursor - seg.s);
      const next = { ...seg, s: cursor };
      cursor += seg.d;
      return next;
    });
    // Text lying inside one clip travels with it.
    for (const other of draft.t) {
      if (other.tt !== TrackType.text) continue;
      for (const seg of other.sg) {
        const home = clips.findIndex((c) => seg.s >= c.s && seg.s + seg.d <= c.s + c.d);
        const shift = home >= 0 ? shifts.get(home)! : 0;
        if (!shift) continue;
        seg.s += shift;
        if (seg.m.words) seg.m.words = seg.m.words.map((w) => ({ ...w, s: w.s + shift, e: w.e + shift }));
      }
      other.sg.sort((a, b) => a.s - b.s);
    }
    track.sg = moved;
    return draft;
  },
});
