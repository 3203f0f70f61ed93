/**
 * Video tracks. The bottom track is concatenated (with black fillers for gaps), which costs
 * nothing per frame; tracks above it are overlaid segment by segment, only while each plays.
 * Many segments of one source on the bottom track share one decode (shared-source.ts).
 */
import type { VideoTrack } from '../../../../src/draft/schema.ts';
import type { GraphBuilder } from '../graph-builder.ts';
import { sec } from '../graph-builder.ts';
import type { RenderInput } from '../inputs.ts';
import type { AudioContribution } from './audio.ts';
import { sharedSourceCuts } from './shared-source.ts';
import { blackFiller, type Frame, visualSegment } from './visual.ts';

export interface VideoTrackResult {
  video: string;
  audio: AudioContribution[];
}

/** Segments sorted by start, each clipped so it ends where the next one starts (later covers earlier). */
function sequence(track: VideoTrack, durationMs: number) {
  const sorted = [...track.sg].filter((s) => s.s < durationMs).sort((a, b) => a.s - b.s);
  return sorted
    .map((seg, i) => {
      const next = sorted[i + 1];
      const end = Math.min(seg.s + seg.d, next ? next.s : Number.POSITIVE_INFINITY, durationMs);
      return { ...seg, d: Math.round(end - seg.s) };
    })
    .filter((seg) => seg.d > 0);
}

export function bottomVideoTrack(
  g: GraphBuilder,
  track: VideoTrack | undefined,
  inputs: Map<string, RenderInput>,
  frame: Frame,
  durationMs: number,
): VideoTrackResult {
  const parts: string[] = [];
  const audio: AudioContribution[] = [];
  let cursor = 0;
  const segs = track ? sequence(track, durationMs) : [];
  const sound = { on: !track?.m.muted, trackVolume: track?.m.volume ?? 1 };
  const shared = sharedSourceCuts(g, segs, inputs, frame, sound);
  audio.push(...shared.audio);
  for (const seg of segs) {
    if (seg.s - cursor >= 1) parts.push(blackFiller(g, frame, seg.s - cursor));
    const cut = shared.video.get(seg);
    if (cut) {
      parts.push(cut);
      cursor = seg.s + seg.d;
      continue;
    }
    const layer = visualSegment(g, seg, inputs.get(seg.src)!, frame, { alpha: false });
    parts.push(layer.video);
    if (layer.audioInput !== null && !track?.m.muted) {
      audio.push(segmentAudio(layer.audioInput, inputs.get(seg.src)!, seg, track?.m.volume));
    }
    cursor = seg.s + seg.d;
  }
  if (durationMs - cursor >= 1) parts.push(blackFiller(g, frame, durationMs - cursor));
  const video = parts.length === 1 ? parts[0] : g.chain(parts, [`concat=n=${parts.length}:v=1:a=0`], 'base');
  return { video, audio };
}

export function overlayVideoTrack(
  g: GraphBuilder,
  base: string,
  track: VideoTrack,
  inputs: Map<string, RenderInput>,
  frame: Frame,
  durationMs: number,
): VideoTrackResult {
  let video = base;
  const audio: AudioContribution[] = [];
  for (const seg of sequence(track, durationMs)) {
    const layer = visualSegment(g, seg, inputs.get(seg.src)!, frame, { alpha: true });
    const shifted = g.chain([layer.video], [`setpts=PTS+${sec(seg.s)}/TB`], 'ov');
    video = g.chain(
      [video, shifted],
      // eof_action=pass: once the segment ends the layers below show again.
      [`overlay=eof_action=pass:format=auto:enable='between(t,${sec(seg.s)},${sec(seg.s + seg.d)})'`],
      'comp',
    );
    if (layer.audioInput !== null && !track.m.muted)
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
