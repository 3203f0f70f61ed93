/**
 * Video and image segments: each becomes a W×H yuv420p stream at the draft's fps whose
 * timestamps start at 0 and which lasts exactly the segment's duration.
 */
import type { VisualSegment } from '../../../../src/draft/schema.ts';
import { gridFrames } from '../../../../src/draft/slice-draft.ts';
import type { GraphBuilder } from '../graph-builder.ts';
import { sec, seekSec } from '../graph-builder.ts';
import type { RenderInput } from '../inputs.ts';

export interface Frame {
  w: number;
  h: number;
  fps: number;
}

export interface VisualLayer {
  /** Label of the video stream. */
  video: string;
  /** Input index whose first audio stream belongs to this segment, when it has audio. */
  audioInput: number | null;
}

/**
 * `video: false` (the audio part of a chunked render) adds the segment's input exactly as a whole
 * render does, so its sound is the same, but no picture filters: ffmpeg then never decodes the video.
 */
export function visualSegment(
  g: GraphBuilder,
  seg: VisualSegment,
  input: RenderInput,
  frame: Frame,
  opts: { alpha: boolean; video?: boolean },
): VisualLayer {
  const speed = seg.m.speed ?? 1;
  const fit = fitFilters(seg.m.fit, frame);
  const fades = visualFades(seg, opts.alpha, frame.fps);
  const format = opts.alpha ? 'format=yuva420p' : 'format=yuv420p';
  // The segment's share of the timeline's frame grid (src/draft/slice-draft.ts): frame n of the
  // output is the same picture in a whole render and in the chunk that holds it.
  const frames = gridFrames(seg.s, seg.d, frame.fps);
  if (input.kind === 'image') {
    if (opts.video === false) return { video: '', audioInput: null };
    const idx = g.addInput(['-i', input.url]);
    const video = g.chain(
      [`${idx}:v`],
      [
        ...fit,
        'setsar=1',
        format,
        // Scale the picture once, then repeat the scaled frame (cheaper than -loop 1, which decodes every frame).
        `loop=loop=${frames - 1}:size=1:start=0`,
        `setpts=N/(${frame.fps}*TB)`,
        ...fades,
      ],
      'img',
    );
    return { video, audioInput: null };
  }
  const sourceMs = seg.d * speed;
  const idx = g.addInput([
    // Input seeking: decoding starts at the keyframe before the in-point, frames before it are dropped exactly.
    ...(seg.in > 0 ? ['-ss', seekSec(seg.in)] : []),
    // Read only what the segment consumes (plus a frame of slack so trim has enough).
    ...['-t', sec(sourceMs + 1000 / frame.fps)],
    '-i',
    input.url,
  ]);
  if (opts.video === false) return { video: '', audioInput: input.hasAudio ? idx : null };
  const video = g.chain(
    [`${idx}:v`],
    [
      speed === 1 ? 'setpts=PTS-STARTPTS' : `setpts=(PTS-STARTPTS)/${speed}`,
      `fps=${frame.fps}`,
      ...fit,
      'setsar=1',
      format,
      // A source shorter than the segment freezes on its last frame instead of ending the layer early.
      `tpad=stop_mode=clone:stop_duration=${sec(seg.d + 1000 / frame.fps)}`,
      `trim=end_frame=${frames}`,
      'setpts=PTS-STARTPTS',
      ...fades,
    ],
    'vid',
  );
  return { video, audioInput: input.hasAudio ? idx : null };
}

/** Scales a picture to the frame: `cover` crops the overflow, `contain` pads with black. */
export function fitFilters(fit: 'cover' | 'contain' | undefined, frame: Frame): string[] {
  return fit === 'contain'
    ? [
        `scale=${frame.w}:${frame.h}:force_original_aspect_ratio=decrease:force_divisible_by=2`,
        `pad=${frame.w}:${frame.h}:(ow-iw)/2:(oh-ih)/2:color=black`,
      ]
    : [`scale=${frame.w}:${frame.h}:force_original_aspect_ratio=increase`, `crop=${frame.w}:${frame.h}`];
}

/**
 * A segment's fades, on a stream whose frames are numbered from 0 at the 1/fps time base. A piece
 * of a segment cut by a chunk boundary (m.slice) starts `head_frames` into it: its frames are
 * stamped as they are in the whole segment while the fades run, so a fade half done at the seam
 * continues from half, and the fade-out sits at the whole segment's end.
 */
export function visualFades(seg: VisualSegment, alpha: boolean, fps: number): string[] {
  const a = alpha ? ':alpha=1' : '';
  const out: string[] = [];
  const wholeMs = seg.m.slice?.whole_d ?? seg.d;
  if (seg.m.fade_in) out.push(`fade=t=in:st=0:d=${sec(seg.m.fade_in)}${a}`);
  if (seg.m.fade_out)
    out.push(`fade=t=out:st=${sec(Math.max(0, wholeMs - seg.m.fade_out))}:d=${sec(seg.m.fade_out)}${a}`);
  const head = seg.m.slice?.head_frames ?? 0;
  if (out.length === 0 || head === 0) return out;
  return [`setpts=PTS+round(${head}/(${fps}*TB))`, ...out, 'setpts=PTS-STARTPTS'];
}

/** A black W×H stream of `frames` frames, for gaps in the bottom track. */
export function blackFiller(g: GraphBuilder, frame: Frame, frames: number): string {
  const label = g.label('gap');
  g.chains.push(
    `color=c=black:s=${frame.w}x${frame.h}:r=${frame.fps},trim=end_frame=${frames},format=yuv420p,setsar=1[${label}]`,
  );
  return label;
}
