import { z } from 'zod';
import type { AudioTrack, Draft } from '../schema.ts';
import { TrackType } from '../schema.ts';
import { defineOp } from './define-op.ts';
import { OpError } from './types.ts';
import { baseName, findMedia, idMaker } from './util.ts';

export const addMusicArgs = z.object({
  media_id: z.string().min(1).describe('Id of an uploaded audio file'),
  volume: z.number().min(0).max(1).default(0.3).describe('0..1 (0.35 = 35%)'),
  fade_in_ms: z.number().int().min(0).max(30_000).default(0),
  fade_out_ms: z.number().int().min(0).max(30_000).default(1500),
  loop: z.boolean().default(true).describe('Repeat the music to the length of the video'),
  duck: z.boolean().default(true).describe('Lower the music while people speak'),
});

/** End of everything except music beds (ms). */
export function contentEndMs(draft: Draft): number {
  let end = 0;
  for (const track of draft.t) {
    if (track.tt === TrackType.audio && track.m.kind === 'music') continue;
    for (const seg of track.sg) end = Math.max(end, seg.s + seg.d);
  }
  return end;
}

export const addMusic = defineOp({
  name: 'add_music',
  description: 'Add background music from an uploaded audio file (replaces earlier background music).',
  args: addMusicArgs,
  edit(draft, args, ctx) {
    const media = findMedia(ctx, args.media_id);
    if (media.kind !== 'audio' && !media.has_audio)
      throw new OpError(
        'not_audio',
        `${media.name} has no audio to use as music.`,
        `${media.name} 没有声音，不能用作音乐。`,
      );
    const musicMs = media.duration_ms ?? 0;
    const contentMs = contentEndMs(draft);
    let d = contentMs > 0 ? contentMs : musicMs;
    if (!args.loop && musicMs > 0) d = Math.min(d, musicMs);
    if (d <= 0)
      throw new OpError(
        'unknown_duration',
        `The length of ${media.name} is unknown; re-upload it.`,
        `${media.name} 的时长未知，请重新上传。`,
      );
    const newId = idMaker(draft);
    const existing = draft.t.findIndex((t) => t.tt === TrackType.audio && t.m.kind === 'music');
    const track: AudioTrack = {
      id: existing >= 0 ? draft.t[existing]!.id : newId('a'),
      tt: TrackType.audio,
      m: { name: `BGM: ${baseName(media.name)}`, kind: 'music', volume: args.volume, duck: args.duck },
      sg: [
        {
          id: newId('s'),
          src: media.media_id,
          s: 0,
          d,
          in: 0,
          m: {
            ...(args.fade_in_ms ? { fade_in: Math.min(args.fade_in_ms, d) } : {}),
            ...(args.fade_out_ms ? { fade_out: Math.min(args.fade_out_ms, d) } : {}),
            loop: args.loop,
          },
        },
      ],
    };
    if (existing >= 0) draft.t[existing] = track;
    else {
      // Audio sits under the text tracks so the summary reads video, music, titles.
      const firstText = draft.t.findIndex((t) => t.tt === TrackType.text);
      draft.t.splice(firstText >= 0 ? firstText : draft.t.length, 0, track);
    }
    return draft;
  },
});

/** Stretch looping music beds to the content's new length (after appends or slow-downs). */
export function fitMusic(draft: Draft): void {
  const end = contentEndMs(draft);
  for (const track of draft.t) {
    if (track.tt !== TrackType.audio || track.m.kind !== 'music') continue;
    track.sg = track.sg
      .filter((seg) => seg.s < end)
      .map((seg) => ({ ...seg, d: seg.m.loop ? end - seg.s : Math.min(seg.d, end - seg.s) }));
  }
}
