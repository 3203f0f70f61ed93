/**
 * Advanced SubStation (libass) captions: white text with a dark outline and a soft box shadow,
 * bottom-centred by default, and the word being spoken highlighted (yellow unless the track says otherwise).
 */
import type { TextSegment } from '../../../../src/draft/schema.ts';
import { type CaptionEvent, type CaptionToken, hasCjk } from './caption-events.ts';

export const LATIN_FAMILY = 'DejaVu Sans';
export const CJK_FAMILY = 'Noto Sans CJK SC';
/** Yellow, the default colour of the word being spoken. */
export const DEFAULT_HIGHLIGHT = '#ffff00';

export interface AssLayout {
  w: number;
  h: number;
  fontSize: number;
}

/** Caption size from the frame: ~59 px at 1080 wide; line length is then capped to what fits. */
export function captionLayout(w: number, h: number, size?: number): AssLayout & { maxChars: number } {
  const fontSize = Math.round(size ?? Math.min(w, h) * 0.055);
  const fits = Math.floor((w * 0.9) / (fontSize * 0.55));
  return { w, h, fontSize, maxChars: Math.max(8, Math.min(42, fits)) };
}

/** #rrggbb → ASS &HBBGGRR& (ASS colours are blue-green-red). */
export function assColor(hex: string | undefined): string {
  if (!hex || !/^#[0-9a-fA-F]{6}$/.test(hex)) return '&HFFFFFF&';
  const [r, g, b] = [1, 3, 5].map((i) => hex.slice(i, i + 2));
  return `&H${b}${g}${r}&`.toUpperCase();
}

export function stamp(ms: number): string {
  const cs = Math.max(0, Math.round(ms / 10));
  const h = Math.floor(cs / 360_000);
  const m = Math.floor((cs % 360_000) / 6000);
  const s = Math.floor((cs % 6000) / 100);
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(cs % 100).padStart(2, '0')}`;
}

/**
 * Text as written. libass escapes only braces (`\{`, `\}`); it has no escape for a backslash, so
 * `\\` would show two and `\N`/`\n`/`\h` would break the line or add a hard space. Each
 * backslash is therefore followed by U+2060 WORD JOINER (invisible, zero width), which ends any
 * escape sequence. Line breaks in the text become spaces (captions are laid out by caption-events).
 */
export const escapeAss = (t: string) =>
  t
    .replace(/\\/g, '\\\u2060')
    .replace(/[{}]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, ' ');

function render(lines: CaptionToken[][], current: CaptionToken | null, colors: { base: string; hi: string }): string {
  return lines
    .map((line) =>
      line
        .map((t, i) => {
          const text = escapeAss(t.text);
          const word = t === current ? `{\\c${colors.hi}}${text}{\\c${colors.base}}` : text;
          return (i > 0 && t.space ? ' ' : '') + word;
        })
        .join(''),
    )
    .join('\\N');
}

/**
 * `pos`: bottom (default), center or top. `highlight`: colour of the word being spoken
 * (#rrggbb), or null for none; it needs the segment's `m.words`.
 */
export function buildAss(
  segments: { seg: TextSegment; events: CaptionEvent[] }[],
  layout: AssLayout,
  highlight: string | null = DEFAULT_HIGHLIGHT,
): string {
  const anyCjk = segments.some(({ seg }) => hasCjk(seg.text) || seg.m.words?.some((w) => hasCjk(w.w)));
  const family = anyCjk ? CJK_FAMILY : LATIN_FAMILY;
  const marginV = Math.round(layout.h * 0.08);
  const outline = Math.max(2, Math.round(layout.fontSize / 14));
  const header = [
    '[Script Info]',
    'ScriptType: v4.00+',
    `PlayResX: ${layout.w}`,
    `PlayResY: ${layout.h}`,
    'WrapStyle: 2', // we break lines ourselves (<= 42 chars, <= 2 lines)
    'ScaledBorderAndShadow: yes',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    `Style: Caption,${family},${layout.fontSize},&H00FFFFFF,&H00FFFFFF,&H00000000,&H80000000,-1,0,0,0,100,100,0,0,1,${outline},${Math.round(outline / 2)},2,${Math.round(layout.w * 0.05)},${Math.round(layout.w * 0.05)},${marginV},1`,
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
  ];
  const lines: string[] = [];
  for (const { seg, events } of segments) {
    const colors = { base: assColor(seg.m.color), hi: assColor(highlight ?? undefined) };
    const tags = [
      seg.m.pos === 'top' ? '\\an8' : seg.m.pos === 'center' ? '\\an5' : '',
      seg.m.color ? `\\c${colors.base}` : '',
      seg.m.size ? `\\fs${Math.round(seg.m.size)}` : '',
    ].join('');
    const prefix = tags ? `{${tags}}` : '';
    for (const ev of events) {
      const tokens = ev.lines.flat();
      const timed = tokens.every((t) => t.s !== undefined);
      if (!timed || highlight === null) {
        lines.push(dialogue(ev.s, ev.e, prefix + render(ev.lines, null, colors)));
        continue;
      }
      // One event per word: the same text, with the word being spoken highlighted.
      if (tokens[0].s! > ev.s) lines.push(dialogue(ev.s, tokens[0].s!, prefix + render(ev.lines, null, colors)));
      tokens.forEach((t, i) => {
        const s = Math.max(ev.s, t.s!);
        const e = Math.min(ev.e, i + 1 < tokens.length ? tokens[i + 1].s! : ev.e);
        if (e > s) lines.push(dialogue(s, e, prefix + render(ev.lines, t, colors)));
      });
    }
  }
  return `${[...header, ...lines].join('\n')}\n`;
}

function dialogue(s: number, e: number, text: string): string {
  return `Dialogue: 0,${stamp(s)},${stamp(e)},Caption,,0,0,0,,${text}`;
}
