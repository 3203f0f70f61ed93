/**
 * Splits caption segments into on-screen events: at most MAX_LINE_CHARS per line and two lines
 * per event, timed by the segment's words when it has them, else by character share.
 */
import { displayWidth, MAX_LINE_CHARS, MAX_LINES } from '../../../../src/draft/ops/captions-text.ts';
import type { CaptionWord, TextSegment } from '../../../../src/draft/schema.ts';

// One layout rule for the draft's caption text and the rendered lines (CJK counts two columns).
export { MAX_LINE_CHARS, MAX_LINES };

export interface CaptionToken {
  text: string;
  /** Timeline ms; undefined when the segment has no word timings. */
  s?: number;
  e?: number;
  /** Whether a space goes before this token (not between CJK characters). */
  space: boolean;
}

export interface CaptionEvent {
  s: number;
  e: number;
  /** Lines of tokens. */
  lines: CaptionToken[][];
}

const CJK = /[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]/;

const CJK_RUNS = new RegExp(`${CJK.source}|(?:(?!${CJK.source}).)+`, 'g');

export function hasCjk(text: string): boolean {
  return CJK.test(text);
}

function tokenize(seg: TextSegment): CaptionToken[] {
  const words: CaptionWord[] | undefined = seg.m.words?.filter((w) => w.w.trim());
  // Words whose letters no longer match the text (the text was edited) are stale: time by the text.
  if (words && words.length > 0 && letters(words.map((w) => w.w).join('')) === letters(seg.text)) {
    return words.map((w, i) => ({ text: w.w.trim(), s: w.s, e: w.e, space: i > 0 && !CJK.test(w.w.trim()[0]) }));
  }
  const tokens: CaptionToken[] = [];
  for (const part of seg.text.split(/\s+/).filter(Boolean)) {
    // CJK text has no spaces: each CJK character is a breakable token, Latin runs stay whole.
    const runs = part.match(CJK_RUNS) ?? [];
    runs.forEach((run, i) => {
      tokens.push({ text: run, space: i === 0 && tokens.length > 0 });
    });
  }
  return tokens;
}

const letters = (t: string) => t.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

const lineLength = (line: CaptionToken[]) =>
  line.reduce((n, t, i) => n + displayWidth(t.text) + (i > 0 && t.space ? 1 : 0), 0);

/** Greedy line filling: a token goes on the current line if the line stays within maxChars. */
function toLines(tokens: CaptionToken[], maxChars: number): CaptionToken[][] {
  const lines: CaptionToken[][] = [];
  let line: CaptionToken[] = [];
  for (const t of tokens) {
    if (line.length > 0 && lineLength([...line, t]) > maxChars) {
      lines.push(line);
      line = [];
    }
    line.push(line.length === 0 ? { ...t, space: false } : t);
  }
  if (line.length) lines.push(line);
  return lines;
}

export function captionEvents(seg: TextSegment, maxChars = MAX_LINE_CHARS): CaptionEvent[] {
  const tokens = tokenize(seg);
  if (tokens.length === 0) return [];
  const lines = toLines(tokens, maxChars);
  const groups: CaptionToken[][][] = [];
  for (let i = 0; i < lines.length; i += MAX_LINES) groups.push(lines.slice(i, i + MAX_LINES));
  const segEnd = seg.s + seg.d;
  const timed = tokens.every((t) => t.s !== undefined);
  const totalChars = tokens.reduce((n, t) => n + t.text.length, 0);
  let charsBefore = 0;
  const events = groups.map((group) => {
    const flat = group.flat();
    const chars = flat.reduce((n, t) => n + t.text.length, 0);
    const s = timed ? flat[0].s! : seg.s + (seg.d * charsBefore) / totalChars;
    const e = timed ? flat[flat.length - 1].e! : seg.s + (seg.d * (charsBefore + chars)) / totalChars;
    charsBefore += chars;
    return { s, e, lines: group };
  });
  // Events stay up until the next one starts (no flicker between phrases), within the segment.
  events.forEach((ev, i) => {
    ev.s = Math.max(seg.s, i === 0 ? seg.s : ev.s);
    ev.e = i + 1 < events.length ? events[i + 1].s : segEnd;
    ev.s = Math.round(Math.min(ev.s, segEnd));
    ev.e = Math.round(Math.min(Math.max(ev.e, ev.s), segEnd));
  });
  return events.filter((ev) => ev.e > ev.s);
}

export function eventText(ev: CaptionEvent, sep = '\n'): string {
  return ev.lines.map((line) => line.map((t, i) => (i > 0 && t.space ? ' ' : '') + t.text).join('')).join(sep);
}
