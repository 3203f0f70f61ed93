/**
 * Turns a draft into one ffmpeg invocation: inputs, one filter_complex, one H.264/AAC encode.
 * A chunked render (docs/rendering.md) uses the same builder for its parts: `video` renders the
 * picture of the draft's window (m.window, from sliceDraft) and `audio` the whole timeline's sound.
 */

import { join } from 'node:path';
import type { Draft } from '../../../src/draft/schema.ts';
import { TrackType } from '../../../src/draft/schema.ts';
import { msOfFrame, timelineMs } from '../../../src/draft/slice-draft.ts';
import type { CaptionEvent } from './captions/caption-events.ts';
import { GraphBuilder, sec } from './graph-builder.ts';
import type { RenderInput } from './inputs.ts';
import type { AudioContribution } from './layers/audio.ts';
import { audioTrackContributions, mixAudio } from './layers/audio.ts';
import { captionTrack, isCaptionTrack } from './layers/captions.ts';
import { type PendingFile, type TextFonts, textTrack } from './layers/text.ts';
import { bottomVideoTrack, type Media, overlayVideoTrack, type Span } from './layers/video-track.ts';

/** Longest filter graph passed as an argument (Linux refuses a single argument over 128 KiB). */
const GRAPH_ARG_MAX = 100_000;

export interface RenderPlan {
  /** ffmpeg arguments, output path last. */
  args: string[];
  /** Files (ASS, title text) to write before running ffmpeg. */
  files: PendingFile[];
  /** Duration of what this plan writes (the window's, for a video chunk). */
  durationMs: number;
  captions: CaptionEvent[];
  graph: string;
}

/** `whole`: the MP4 with sound; `video`: the picture of the draft's window only; `audio`: the whole sound only. */
export type PlanPart = 'whole' | 'video' | 'audio';

export interface PlanOptions {
  inputs: Map<string, RenderInput>;
  tmpDir: string;
  fontsDir: string;
  fonts: TextFonts;
  preset: string;
  outputPath: string;
  part?: PlanPart;
}

export const draftDurationMs = timelineMs;

/**
 * The video encoder, one definition for whole renders and chunks: chunks joined without
 * re-encoding must agree on every parameter that goes into the stream's headers (SPS/PPS), or the
 * joined stream would not decode past a seam.
 */
export function videoEncoderArgs(preset: string, fps: number): string[] {
  return [
    ...['-c:v', 'libx264'],
    ...['-preset', preset], // same preset: same reference frames, B-frames, entropy coder in every chunk
    ...['-profile:v', 'high'], // fixed profile: x264 would otherwise choose one per stream
    ...['-pix_fmt', 'yuv420p'], // H.264 High 8-bit 4:2:0, plays everywhere
    ...['-r', String(fps)], // constant frame rate: the same time base (1/fps) in every chunk
    // x264's defaults for the rest (crf 23, keyint 250): each encode starts with an IDR frame, so a
    // chunk is decodable on its own and the joined stream has a keyframe at every seam.
  ];
}

const AUDIO_ENCODER = ['-c:a', 'aac', '-b:a', '160k', '-ar', '48000', '-ac', '2'];

export function buildRender(draft: Draft, opts: PlanOptions): RenderPlan {
  const part = opts.part ?? 'whole';
  const media: Media = { video: part !== 'audio', audio: part !== 'video' };
  const g = new GraphBuilder();
  const frame = { w: draft.w, h: draft.h, fps: draft.fps };
  const durationMs = draftDurationMs(draft);
  const window = part === 'video' ? draft.m?.window : undefined;
  const span: Span = window
    ? { fromMs: msOfFrame(window.start_frame, draft.fps), toMs: msOfFrame(window.end_frame, draft.fps) }
    : { fromMs: 0, toMs: durationMs };
  const files: PendingFile[] = [];
  const audio: AudioContribution[] = [];
  const captions: CaptionEvent[] = [];

  const videoTracks = draft.t.filter((t) => t.tt === TrackType.video);
  const bottom = bottomVideoTrack(g, videoTracks[0], opts.inputs, frame, span, media);
  audio.push(...bottom.audio);
  // The picture is stamped on the whole timeline's frame grid (time base 1/fps, frame n at n), in
  // a chunk from its first frame on: overlays, titles, captions and fades see the very times they
  // see in a whole render, so the chunk's frames are the whole render's.
  let video = media.video
    ? g.chain([bottom.video], [`settb=1/${draft.fps}`, ...(window ? [`setpts=PTS+${window.start_frame}`] : [])], 'tl')
    : '';
  // Tracks composite bottom to top in their order; the bottom video track is already the base.
  for (const track of draft.t) {
    if (track.tt === TrackType.video && track !== videoTracks[0]) {
      const r = overlayVideoTrack(g, video, track, opts.inputs, frame, span, media);
      video = r.video;
      audio.push(...r.audio);
    } else if (track.tt === TrackType.audio) {
      if (media.audio) audio.push(...audioTrackContributions(g, track, opts.inputs));
    } else if (track.tt === TrackType.text && isCaptionTrack(track)) {
      if (!media.video) continue;
      const r = captionTrack(g, video, track, frame, opts.fontsDir, opts.tmpDir, files);
      video = r.video;
      captions.push(...r.events);
    } else if (track.tt === TrackType.text && media.video) {
      video = textTrack(g, video, track, frame, opts.fontsDir, opts.tmpDir, files);
    }
  }
  const master: string[] = [];
  if (draft.m?.fade_in) master.push(`fade=t=in:st=0:d=${sec(draft.m.fade_in)}`);
  if (draft.m?.fade_out) master.push(`fade=t=out:st=${sec(durationMs - draft.m.fade_out)}:d=${sec(draft.m.fade_out)}`);
  // The encoder gets exactly yuv420p (H.264 High 8-bit, plays everywhere); a chunk starts at 0.
  const vout = media.video
    ? g.chain([video], [...master, 'format=yuv420p', ...(window ? ['setpts=PTS-STARTPTS'] : [])], 'vout')
    : null;
  const aout = media.audio ? mixAudio(g, audio, draft, durationMs) : null;
  const graph = g.graph();
  const graphFile = join(opts.tmpDir, 'graph.txt');
  if (graph.length > GRAPH_ARG_MAX) files.push({ path: graphFile, content: graph });

  const frames = window ? window.end_frame - window.start_frame : 0;
  const args = [
    '-y',
    ...g.inputArgs.flat(),
    // Past Linux's 128 KiB limit on one argument (about 300 cut segments) the graph goes in a file.
    ...(graph.length > GRAPH_ARG_MAX ? ['-filter_complex_script', graphFile] : ['-filter_complex', graph]),
    ...(vout ? ['-map', `[${vout}]`] : []),
    ...(aout ? ['-map', `[${aout}]`] : []),
    ...(vout ? videoEncoderArgs(opts.preset, draft.fps) : ['-vn']),
    ...(aout ? AUDIO_ENCODER : ['-an']),
    // A chunk is exactly its frames (the join adds them up to the whole render's count); otherwise
    // never longer than the timeline, whatever a source does.
    ...(window ? ['-frames:v', String(frames)] : ['-t', sec(durationMs)]),
    // moov first: the share page can start playing before the download ends (a part is only joined).
    ...(part === 'whole' ? ['-movflags', '+faststart'] : []),
    ...['-f', 'mp4', opts.outputPath],
  ];
  captions.sort((a, b) => a.s - b.s);
  const planMs = window ? span.toMs - span.fromMs : durationMs;
  return { args, files, durationMs: planMs, captions, graph };
}
