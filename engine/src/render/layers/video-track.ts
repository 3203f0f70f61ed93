/**
 * Video tracks. The bottom track is concatenated (with black fillers for gaps), which costs
 * nothing per frame; tracks above it are overlaid segment by segment, only while each plays.
 * Many segments of one source on the bottom track share one decode (shared-source.ts).
 * Every segment and gap takes its share of the timeline's frame grid (src/draft/slice-draft.ts).
 */
import type { VideoTrack } from '../../../../src/draft/schema.ts';
import { frameAt, sequenceSegments } from '../../../../src/draft/slice-draft.ts';
import type { GraphBuilder } from '../graph-builder.ts';
import { sec, seekSec } from '../graph-builder.ts';
import type { RenderInput } from '../inputs.ts';
import type { AudioContribution } from './audio.ts';
import { sharedSourceCuts } from './shared-source.ts';
import { blackFiller, type Frame, visualSegment } from './visual.ts';

export interface VideoTrackResult {
  /** Label of the picture ('' when `media.video` is false). */
  video: string;
  audio: AudioContribution[];
}

/** What to build: both for a whole render, the picture for a video chunk, the sound for the audio part. */
export interface Media {
  video: boolean;
  audio: boolean;
}

/** The part of the timeline a render covers, ms on the whole timeline: all of it, or a chunk's window. */
export interface Span {
  fromMs: number;
  toMs: number;
}

export function bottomVideoTrack(
  g: GraphBuilder,
  track: VideoTrack | undefined,
  inputs: Map<string, RenderInput>,
  frame: Frame,
  span: Span,
  media: Media = { video: true, audio: true },
): VideoTrackResult {
  const parts: string[] = [];
  const audio: AudioContribution[] = [];
  let cursor = span.fromMs;
  const segs = track ? sequenceSegments(track.sg, span.toMs) : [];
  const sound = { on: media.audio && !track?.m.muted, trackVolume: track?.m.volume ?? 1 };
  const shared = sharedSourceCuts(g, segs, inputs, frame, sound, media.video);
  audio.push(...shared.audio);
  const gap = (toMs: number) => {
    const frames = frameAt(toMs, frame.fps) - frameAt(cursor, frame.fps);
    if (media.video && frames > 0) parts.push(blackFiller(g, frame, frames));
  };
  for (const seg of segs) {
    gap(seg.s);
    if (shared.video.has(seg)) {
      if (media.video) parts.push(shared.video.get(seg)!);
      cursor = seg.s + seg.d;
      continue;
    }
    const layer = visualSegment(g, seg, inputs.get(seg.src)!, frame, { alpha: false, video: media.video });
    if (media.video) parts.push(layer.video);
    if (media.audio && layer.audioInput !== null && !track?.m.muted) {
      audio.push(segmentAudio(layer.audioInput, inputs.get(seg.src)!, seg, track?.m.volume));
    }
    cursor = seg.s + seg.d;
  }
  gap(span.toMs);
  if (!media.video) return { video: '', audio };
  const video = parts.length === 1 ? parts[0]! : g.chain(parts, [`concat=n=${parts.length}:v=1:a=0`], 'base');
  return { video, audio };
}

export function overlayVideoTrack(
  g: GraphBuilder,
  base: string,
  track: VideoTrack,
  inputs: Map<string, RenderInput>,
  frame: Frame,
  span: Span,
  media: Media = { video: true, audio: true },
): VideoTrackResult {
  let video = base;
  const audio: AudioContribution[] = [];
  for (const seg of sequenceSegments(track.sg, span.toMs)) {
    const layer = visualSegment(g, seg, inputs.get(seg.src)!, frame, { alpha: true, video: media.video });
    if (media.video) {
      // The start to the microsecond, rounded down: a piece starting at a chunk boundary (frame 50
      // at 30 fps is 1666.67 ms) must be on at that frame, which `sec`'s 1.667 would miss. The
      // layer's first frame sits on the grid frame of its start (round: setpts alone truncates),
      // the frame the grid gives the segment (src/draft/slice-draft.ts).
      const start = seekSec(seg.s);
      const shifted = g.chain([layer.video], [`setpts=PTS+round(${start}/TB)`], 'ov');
      video = g.chain(
        [video, shifted],
        // eof_action=pass: once the segment ends the layers below show again.
        [`overlay=eof_action=pass:format=auto:enable='between(t,${start},${sec(seg.s + seg.d)})'`],
        'comp',
      );
    }
    if (media.audio && layer.audioInput !== null && !track.m.muted)
      audio.push(segmentAudio(layer.audioInput, inputs.get(seg.src)!, seg, track.m.volume));
  }
  return { video, audio };
}

function segmentAudio(
  inputIndex: number,
  input: RenderInput,
  seg: { s: number; d: number; m: { speed?: number; volume?: number; fade_in?: number; fade_out?: number } },
  trackVolume: number | undefined,
): AudioContribution {
  return {
    source: `${inputIndex}:a`,
    mono: input.audioChannels === 1,
    role: 'clip',
    startMs: seg.s,
    durationMs: seg.d,
    speed: seg.m.speed ?? 1,
    volume: (seg.m.volume ?? 1) * (trackVolume ?? 1),
    fadeInMs: seg.m.fade_in,
    fadeOutMs: seg.m.fade_out,
  };
}
