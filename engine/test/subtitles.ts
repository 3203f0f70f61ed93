/** A strict little SRT/WebVTT reader for tests: cues with start, end (ms) and text. */

export interface Cue {
  s: number;
  e: number;
  text: string;
}

const toMs = (h: string, m: string, s: string, ms: string) =>
  ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Number(ms);

export function parseSubtitles(text: string, kind: 'srt' | 'vtt'): Cue[] {
  let body = text.replace(/\r\n/g, '\n');
  if (kind === 'vtt') {
    if (!body.startsWith('WEBVTT')) throw new Error('VTT must start with WEBVTT');
    body = body.slice(body.indexOf('\n\n') + 2);
  }
  const sep = kind === 'srt' ? ',' : '\\.';
  const timing = new RegExp(`^(\\d{2}):(\\d{2}):(\\d{2})${sep}(\\d{3}) --> (\\d{2}):(\\d{2}):(\\d{2})${sep}(\\d{3})$`);
  return body
    .trim()
    .split(/\n\n+/)
    .map((block, i) => {
      const lines = block.split('\n');
      if (kind === 'srt' && lines.shift() !== String(i + 1)) throw new Error(`SRT cue ${i + 1} numbered wrong`);
      const m = timing.exec(lines.shift() ?? '');
      if (!m) throw new Error(`bad timing line in cue ${i + 1}`);
      const cue = { s: toMs(m[1], m[2], m[3], m[4]), e: toMs(m[5], m[6], m[7], m[8]), text: lines.join('\n') };
      if (cue.e <= cue.s || !cue.text) throw new Error(`empty cue ${i + 1}`);
      return cue;
    });
}
