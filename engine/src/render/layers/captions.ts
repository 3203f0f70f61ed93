/** Caption tracks: burned in with libass from a generated .ass file, fonts from an explicit directory. */

import type { TextTrack } from '../../../../src/draft/schema.ts';
import { TrackType } from '../../../../src/draft/schema.ts';
import { buildAss, captionLayout, DEFAULT_HIGHLIGHT } from '../captions/ass.ts';
import { type CaptionEvent, captionEvents } from '../captions/caption-events.ts';
import type { GraphBuilder } from '../graph-builder.ts';
import { quote } from '../graph-builder.ts';
import type { PendingFile } from './text.ts';

export function isCaptionTrack(track: { tt: number; m: { kind?: string } }): boolean {
  return track.tt === TrackType.text && track.m.kind === 'caption';
}

export function captionTrackEvents(track: TextTrack, frame: { w: number; h: number }) {
  return track.sg.map((seg) => ({
    seg,
    events: captionEvents(seg, captionLayout(frame.w, frame.h, seg.m.size).maxChars),
  }));
}

export function captionTrack(
  g: GraphBuilder,
  base: string,
  track: TextTrack,
  frame: { w: number; h: number },
  fontsDir: string,
  tmpDir: string,
  files: PendingFile[],
): { video: string; events: CaptionEvent[] } {
  const segments = captionTrackEvents(track, frame);
  const events = segments.flatMap((s) => s.events);
  if (events.length === 0) return { video: base, events };
  const assPath = `${tmpDir}/captions-${files.length}.ass`;
  files.push({ path: assPath, content: buildAss(segments, captionLayout(frame.w, frame.h), highlightOf(track)) });
  // fontsdir: libass loads exactly the packaged fonts we link there, the same on every machine.
  const video = g.chain([base], [`ass=filename=${quote(assPath)}:fontsdir=${quote(fontsDir)}`], 'cap');
  return { video, events };
}

/** Track `m.highlight`: a #rrggbb colour, or false for none; absent means the default yellow. */
function highlightOf(track: TextTrack): string | null {
  const h = (track.m as { highlight?: unknown }).highlight;
  if (h === false || h === 'none') return null;
  return typeof h === 'string' && /^#[0-9a-fA-F]{6}$/.test(h) ? h : DEFAULT_HIGHLIGHT;
}

/** Every caption event of the draft in time order (for SRT/VTT), as a whole render burns them in. */
export function draftCaptionEvents(draft: { w: number; h: number; t: { tt: number; m: { kind?: string } }[] }) {
  return draft.t
    .filter(isCaptionTrack)
    .flatMap((track) => captionTrackEvents(track as TextTrack, draft).flatMap((s) => s.events))
    .sort((a, b) => a.s - b.s);
}
