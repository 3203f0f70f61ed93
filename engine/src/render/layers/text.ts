/**
 * Titles and text overlays (non-caption text tracks), burned in with libass like captions, from a
 * generated .ass file (captions/title-ass.ts): shaped, bidi-ordered, wrapped, with font fallback.
 */
import type { TextTrack } from '../../../../src/draft/schema.ts';
import { buildTitleAss } from '../captions/title-ass.ts';
import type { GraphBuilder } from '../graph-builder.ts';
import { quote } from '../graph-builder.ts';

export interface TextFonts {
  latin: string;
  cjk: string;
}

export interface PendingFile {
  path: string;
  content: string;
}

export function textTrack(
  g: GraphBuilder,
  base: string,
  track: TextTrack,
  frame: { w: number; h: number },
  fontsDir: string,
  tmpDir: string,
  files: PendingFile[],
): string {
  if (!track.sg.some((seg) => seg.text.trim())) return base;
  const assPath = `${tmpDir}/titles-${files.length}.ass`;
  files.push({ path: assPath, content: buildTitleAss(track.sg, frame) });
  return g.chain([base], [`ass=filename=${quote(assPath)}:fontsdir=${quote(fontsDir)}`], 'txt');
}
