/** Track volume, mute, loudness normalisation and denoise: metadata the render reads. */

import { z } from 'zod';
import type { Draft, Track } from '../schema.ts';
import { TrackType } from '../schema.ts';
import { defineOp } from './define-op.ts';
import { OpError, TRACK_ZH } from './types.ts';

export const TRACK_TARGETS = ['video', 'music', 'voiceover', 'all'] as const;
const target = z
  .string()
  .min(1)
  .default('video')
  .describe('"video" (the clips\' own sound), "music", "voiceover", "all", or a track id');

function targetTracks(draft: Draft, name: string): Track[] {
  const tracks = draft.t.filter((t) => {
    if (t.tt === TrackType.text) return false;
    if (name === 'all') return true;
    if (name === 'video') return t.tt === TrackType.video;
    if (name === 'music') return t.tt === TrackType.audio && t.m.kind === 'music';
    if (name === 'voiceover') return t.tt === TrackType.audio && t.m.kind !== 'music';
    return t.id === name;
  });
  if (tracks.length === 0)
    throw new OpError(
      'track_not_found',
      `There is no ${name} track on the timeline.`,
      `时间线上没有${TRACK_ZH[name] ?? name}轨道。`,
    );
  return tracks;
}

export const setVolumeArgs = z.object({
  target,
  volume: z.number().min(0).max(4).describe('1 = original level, 0.3 = 30%'),
});
export const muteArgs = z.object({ target, muted: z.boolean().default(true) });
export const normalizeLoudnessArgs = z.object({ lufs: z.number().min(-40).max(-5).default(-14) });
export const denoiseArgs = z.object({ enabled: z.boolean().default(true) });

export const setVolume = defineOp({
  name: 'set_volume',
  description: 'Set the volume of a track (and unmute it).',
  args: setVolumeArgs,
  edit(draft, args) {
    for (const track of targetTracks(draft, args.target)) {
      track.m.volume = args.volume;
      delete track.m.muted;
    }
    return draft;
  },
});

export const mute = defineOp({
  name: 'mute',
  description: 'Mute (or unmute) a track.',
  args: muteArgs,
  edit(draft, args) {
    for (const track of targetTracks(draft, args.target)) {
      if (args.muted) track.m.muted = true;
      else delete track.m.muted;
    }
    return draft;
  },
});

export const normalizeLoudness = defineOp({
  name: 'normalize_loudness',
  description: 'Normalise the loudness of the final mix (EBU R128, -14 LUFS for social media).',
  args: normalizeLoudnessArgs,
  edit(draft, args) {
    draft.m = { ...draft.m, loudness_lufs: args.lufs };
    return draft;
  },
});

export const denoise = defineOp({
  name: 'denoise',
  description: "Reduce background noise in the clips' sound (or turn it off).",
  args: denoiseArgs,
  edit(draft, args) {
    draft.m = { ...draft.m, denoise: args.enabled };
    return draft;
  },
});
