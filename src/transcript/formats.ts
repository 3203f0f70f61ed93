/**
 * Plain-text, SRT and VTT renderings of a transcript's kept words, on the timeline. Lines break
 * at sentence ends, at gaps of 800 ms and at the caption limits (42 columns × 2 lines, 6 s), the
 * same rules captions follow.
 */
import { isSpaceless, joinWords, layoutLines } from '../draft/ops/captions-text.ts';
import type { TranscriptWord } from './build.ts';

const MAX_GAP_MS = 800;
const MAX_CUE_MS = 6000;
/** A pause this long starts a new paragraph in the plain text. */
const PARAGRAPH_GAP_MS = 1500;

type Kept = TranscriptWord & { s: number; e: number };

function kept(words: readonly TranscriptWord[]): Kept[] {
  return words.filter((w): w is Kept => !w.cut && w.s !== null && w.e !== null).sort((a, b) => a.s - b.s);
}

export function toText(words: readonly TranscriptWord[], language: string): string {
  const spaceless = isSpaceless(language);
  const paragraphs: string[][] = [[]];
  let prevEnd = -Infinity;
  for (const w of kept(words)) {
    if (w.s - prevEnd > PARAGRAPH_GAP_MS && paragraphs.at(-1)!.length) paragraphs.push([]);
    paragraphs.at(-1)!.push(w.text);
    prevEnd = w.e;
  }
  return `${paragraphs
    .filter((p) => p.length)
    .map((p) => joinWords(p, spaceless))
    .join('\n\n')}\n`;
}

export interface Cue {
  s: number;
  e: number;
  text: string;
}

export function toCues(words: readonly TranscriptWord[], language: string): Cue[] {
  const spaceless = isSpaceless(language);
  const cues: Cue[] = [];
  let current: Kept[] = [];
  const flush = () => {
    if (!current.length) return;
    const texts = current.map((w) => w.text);
    cues.push({
      s: current[0]!.s,
      e: current.at(-1)!.e,
      text: layoutLines(texts, spaceless) ?? joinWords(texts, spaceless),
    });
    current = [];
  };
  for (const w of kept(words)) {
    const prev = current.at(-1);
    const breaks =
      prev &&
      (w.s - prev.e > MAX_GAP_MS ||
        w.e - current[0]!.s > MAX_CUE_MS ||
        /[.?!。？！]$/.test(prev.text) ||
        layoutLines([...current.map((x) => x.text), w.text], spaceless) === null);
    if (breaks) flush();
    current.push(w);
  }
  flush();
  return cues;
}

const clock = (ms: number, sep: string) => {
  const t = Math.max(0, Math.round(ms));
  const h = Math.floor(t / 3_600_000);
  const m = Math.floor((t % 3_600_000) / 60_000);
  const s = Math.floor((t % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}${sep}${pad(t % 1000, 3)}`;
};

export function toSrt(cues: readonly Cue[]): string {
  return cues.map((c, i) => `${i + 1}\n${clock(c.s, ',')} --> ${clock(c.e, ',')}\n${c.text}\n`).join('\n');
}

export function toVtt(cues: readonly Cue[]): string {
  return `WEBVTT\n\n${cues.map((c) => `${clock(c.s, '.')} --> ${clock(c.e, '.')}\n${c.text}\n`).join('\n')}`;
}
