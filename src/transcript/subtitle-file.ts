/**
 * A script or subtitle file as the user uploads it: plain text (a script to align), SRT or VTT
 * (cues with their own timing). Parsed leniently: Windows line ends, a BOM, VTT headers, styles
 * and cue settings, and SRT's comma or dot before the milliseconds.
 */

export interface Cue {
  s: number;
  e: number;
  text: string;
}

export type ScriptFile = { kind: 'text'; text: string } | { kind: 'srt' | 'vtt'; cues: Cue[] };

const TIME = /(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})/;

function ms(stamp: string): number | null {
  const m = TIME.exec(stamp);
  if (!m) return null;
  const [h, mi, s, frac] = [Number(m[1] ?? 0), Number(m[2]), Number(m[3]), m[4]!.padEnd(3, '0')];
  return ((h * 60 + mi) * 60 + s) * 1000 + Number(frac);
}

export function parseScriptFile(raw: string): ScriptFile {
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const isVtt = /^WEBVTT\b/.test(text);
  if (!isVtt && !/\d+:\d{2}[.,]\d{1,3}\s*-->\s*/.test(text)) return { kind: 'text', text: text.trim() };
  const cues: Cue[] = [];
  for (const block of text.split(/\n{2,}/)) {
    const lines = block.split('\n').filter((l) => l.trim());
    const at = lines.findIndex((l) => l.includes('-->'));
    if (at < 0) continue; // a header, NOTE or STYLE block
    const [from, to] = lines[at]!.split('-->');
    const s = ms(from ?? '');
    const e = ms(to ?? '');
    const body = lines
      .slice(at + 1)
      .join('\n')
      .replace(/<[^>]+>/g, '') // VTT voice and styling tags
      .trim();
    if (s === null || e === null || e <= s || !body) continue;
    cues.push({ s, e, text: body });
  }
  return { kind: isVtt ? 'vtt' : 'srt', cues };
}
