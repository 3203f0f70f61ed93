/**
 * Titles and text overlays through libass rather than drawtext: libass shapes Arabic and other
 * joined scripts, orders right-to-left text (fribidi), falls back through fontconfig for scripts
 * the chosen font lacks (Arabic, Hebrew or emoji inside a CJK title), and wraps a long title
 * within the frame's margins instead of running off it. drawtext does none of these.
 */
import type { TextSegment } from '../../../../src/draft/schema.ts';
import { assColor, CJK_FAMILY, escapeAss, LATIN_FAMILY, stamp } from './ass.ts';
import { hasCjk } from './caption-events.ts';

const ALIGN = { top: 8, center: 5, bottom: 2 } as const;

/** One ASS script for a text track: one event per segment, with its position, size, colour and fades. */
export function buildTitleAss(segments: TextSegment[], frame: { w: number; h: number }): string {
  const family = segments.some((s) => hasCjk(s.text)) ? CJK_FAMILY : LATIN_FAMILY;
  const defaultSize = Math.round(Math.min(frame.w, frame.h) * 0.08);
  const marginH = Math.round(frame.w * 0.05);
  const header = [
    '[Script Info]',
    'ScriptType: v4.00+',
    `PlayResX: ${frame.w}`,
    `PlayResY: ${frame.h}`,
    'WrapStyle: 0', // smart wrapping: a long title becomes balanced lines inside the margins
    'ScaledBorderAndShadow: yes',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    // Outline black at 70% opacity (ASS alpha 0x4D is 30% transparent), as the drawtext titles had.
    `Style: Title,${family},${defaultSize},&H00FFFFFF,&H00FFFFFF,&H4D000000,&H00000000,0,0,0,0,100,100,0,0,1,2,0,5,${marginH},${marginH},${Math.round(frame.h * 0.08)},1`,
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
  ];
  const events = segments
    .filter((seg) => seg.text.trim())
    .map((seg) => {
      const size = Math.round(seg.m.size ?? defaultSize);
      const tags = [
        `\\an${ALIGN[seg.m.pos ?? 'center']}`,
        `\\fs${size}`,
        `\\bord${Math.max(2, Math.round(size / 16))}`,
        `\\c${assColor(seg.m.color ?? '#ffffff')}`,
        seg.m.fade_in || seg.m.fade_out
          ? `\\fad(${Math.round(seg.m.fade_in ?? 0)},${Math.round(seg.m.fade_out ?? 0)})`
          : '',
      ].join('');
      // Line breaks the author typed stay line breaks; everything else is literal (escapeAss).
      const text = seg.text.split(/\r?\n/).map(escapeAss).join('\\N');
      return `Dialogue: 0,${stamp(seg.s)},${stamp(seg.s + seg.d)},Title,,0,0,0,,{${tags}}${text}`;
    });
  return `${[...header, ...events].join('\n')}\n`;
}
