/** Turns a draft into one ffmpeg invocation: inputs, one filter_complex, one H.264/AAC encode. */

import { join } from 'node:path';
import type { Draft } from '../../../src/draft/schema.ts';
import { TrackType } from '../../../src/draft/schema.ts';
import type { CaptionEvent } from './captions/caption-events.ts';
import { GraphBuilder, sec } from './graph-builder.ts';
import type { RenderInput } from './inputs.ts';
import type { AudioContribution } from './layers/audio.ts';
import { audioTrackContributions, mixAudio } from './layers/audio.ts';
import { captionTrack, isCaptionTrack } from './layers/captions.ts';
import { type PendingFile, type TextFonts, textTrack } from './layers/text.ts';
import { bottomVideoTrack, overlayVideoTrack } from './layers/video-track.ts';

/** Longest filter graph passed as an argument (Linux refuses a single argument over 128 KiB). */
const GRAPH_ARG_MAX = 100_000;

export interface RenderPlan {
  /** ffmpeg arguments, output path last. */
  args: string[];
  /** Files (ASS, title text) to write before running ffmpeg. */
  files: PendingFile[];
  durationMs: number;
  captions: CaptionEvent[];
  graph: string;
}

export interface PlanOptions {
  inputs: Map<string, RenderInput>;
  tmpDir: string;
  fontsDir: string;
  fonts: TextFonts;
  preset: string;
  outputPath: string;
}

export function draftDurationMs(draft: Draft): number {
  let end = 0;
  for (const track of draft.t) for (const seg of track.sg) end = Math.max(end, seg.s + seg.d);
  return Math.round(draft.d > 0 ? draft.d : end);
}

export function buildRender(draft: Draft, opts: PlanOptions): RenderPlan {
  const g = new GraphBuilder();
  const frame = { w: draft.w, h: draft.h, fps: draft.fps };
  const durationMs = draftDurationMs(draft);
  const files: PendingFile[] = [];
  const audio: AudioContribution[] = [];
  const captions: CaptionEvent[] = [];

  const videoTracks = draft.t.filter((t) => t.tt === TrackType.video);
  const bottom = bottomVideoTrack(g, videoTracks[0], opts.inputs, frame, durationMs);
  let video = bottom.video;
  audio.push(...bottom.audio);
  // Tracks composite bottom to top in their order; the bottom video track is already the base.
  for (const track of draft.t) {
    if (track.tt === TrackType.video && track !== videoTracks[0]) {
      const r = overlayVideoTrack(g, video, track, opts.inputs, frame, durationMs);
      video = r.video;
      audio.push(...r.audio);
    } else if (track.tt === TrackType.audio) {
      audio.push(...audioTrackContributions(g, track, opts.inputs));
    } else if (track.tt === TrackType.text && isCaptionTrack(track)) {
      const r = captionTrack(g, video, track, frame, opts.fontsDir, opts.tmpDir, files);
      video = r.video;
      captions.push(...r.events);
    } else if (track.tt === TrackType.text) {
      video = textTrack(g, video, track, frame, opts.fontsDir, opts.tmpDir, files);
    }
  }
  const master: string[] = [];
  if (draft.m?.fade_in) master.push(`fade=t=in:st=0:d=${sec(draft.m.fade_in)}`);
  if (draft.m?.fade_out) master.push(`fade=t=out:st=${sec(durationMs - draft.m.fade_out)}:d=${sec(draft.m.fade_out)}`);
  // The encoder gets exactly yuv420p (H.264 High 8-bit, plays everywhere).
  const vout = g.chain([video], [...master, 'format=yuv420p'], 'vout');
  const aout = mixAudio(g, audio, draft, durationMs);
  const graph = g.graph();
  const graphFile = join(opts.tmpDir, 'graph.txt');
  if (graph.length > GRAPH_ARG_MAX) files.push({ path: graphFile, content: graph });

  const args = [
    '-y',
    ...g.inputArgs.flat(),
    // Past Linux's 128 KiB limit on one argument (about 300 cut segments) the graph goes in a file.
    ...(graph.length > GRAPH_ARG_MAX ? ['-filter_complex_script', graphFile] : ['-filter_complex', graph]),
    ...['-map', `[${vout}]`, '-map', `[${aout}]`],
    ...['-c:v', 'libx264', '-preset', opts.preset, '-profile:v', 'high', '-pix_fmt', 'yuv420p'],
    ...['-r', String(draft.fps)], // constant frame rate output
    ...['-c:a', 'aac', '-b:a', '160k', '-ar', '48000', '-ac', '2'],
    ...['-t', sec(durationMs)], // never longer than the timeline, whatever a source does
    ...['-movflags', '+faststart'], // moov first: the share page can start playing before the download ends
    ...['-f', 'mp4', opts.outputPath],
  ];
  captions.sort((a, b) => a.s - b.s);
  return { args, files, durationMs, captions, graph };
}
