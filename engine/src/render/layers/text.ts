/** Titles and text overlays (non-caption text tracks) with drawtext: font named by file, text from a file. */
import type { TextSegment, TextTrack } from '../../../../src/draft/schema.ts';
import { hasCjk } from '../captions/caption-events.ts';
import type { GraphBuilder } from '../graph-builder.ts';
import { quote, sec } from '../graph-builder.ts';

export interface TextFonts {
  latin: string;
  cjk: string;
}

export interface PendingFile {
  path: string;
  content: string;
}

const Y_BY_POS = {
  top: 'h*0.08',
  center: '(h-text_h)/2',
  bottom: 'h*0.92-text_h',
} as const;

/** Opacity ramp for fades, evaluated per frame. */
function alphaExpr(seg: TextSegment): string | null {
  const s = seg.s / 1000;
  const e = (seg.s + seg.d) / 1000;
  const fi = (seg.m.fade_in ?? 0) / 1000;
  const fo = (seg.m.fade_out ?? 0) / 1000;
  if (!fi && !fo) return null;
  const fadeIn = fi ? `if(lt(t,${s + fi}),(t-${s})/${fi},1)` : '1';
  const fadeOut = fo ? `if(gt(t,${e - fo}),(${e}-t)/${fo},1)` : '1';
  return `max(0,min(${fadeIn},${fadeOut}))`;
}

export function textTrack(
  g: GraphBuilder,
  base: string,
  track: TextTrack,
  frame: { w: number; h: number },
  fonts: TextFonts,
  tmpDir: string,
  files: PendingFile[],
): string {
  const filters = track.sg
    .filter((seg) => seg.text.trim())
    .map((seg) => {
      const textPath = `${tmpDir}/text-${files.length}.txt`;
      files.push({ path: textPath, content: seg.text });
      const size = Math.round(seg.m.size ?? Math.min(frame.w, frame.h) * 0.08);
      const alpha = alphaExpr(seg);
      return [
        'drawtext=',
        `fontfile=${quote(hasCjk(seg.text) ? fonts.cjk : fonts.latin)}`,
        `:textfile=${quote(textPath)}`, // from a file: no escaping of user text in the graph
        ':expansion=none', // a literal %{...} in a title stays literal
        `:fontsize=${size}`,
        `:fontcolor=${(seg.m.color ?? '#ffffff').replace('#', '0x')}`,
        `:borderw=${Math.max(2, Math.round(size / 16))}:bordercolor=black@0.7`,
        `:line_spacing=${Math.round(size * 0.2)}`,
        ':x=(w-text_w)/2',
        `:y=${Y_BY_POS[seg.m.pos ?? 'center']}`,
        `:enable='between(t,${sec(seg.s)},${sec(seg.s + seg.d)})'`,
        alpha ? `:alpha='${alpha}'` : '',
      ].join('');
    });
  return filters.length ? g.chain([base], filters, 'txt') : base;
}
