/**
 * Caption text layout: words into at most 2 lines of at most 42 columns. A Han, kana or hangul
 * character (or a full-width sign) takes two columns, as it does on screen, so a Chinese line
 * holds 21 characters. Languages written without spaces join their words directly; only two
 * Latin words in a row keep a space between them ("我们用Python写一个 web app").
 */

export const MAX_LINE_CHARS = 42;
export const MAX_LINES = 2;

const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

/** Languages written without spaces between words. */
export function isSpaceless(language: string | undefined): boolean {
  return /^(zh|ja|th|lo|km|my)/i.test(language ?? '');
}

/** On-screen columns of a string: wide (CJK) characters count two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += WIDE.test(ch) ? 2 : 1;
  return width;
}

/** The separator between two words: none between CJK characters in a spaceless language. */
function separator(prev: string, next: string, spaceless: boolean): string {
  if (!spaceless) return ' ';
  const a = prev.at(-1) ?? '';
  const b = next[0] ?? '';
  // Two Latin (or digit) ends meet: a space, as in "Hello world"; otherwise the words touch.
  return /[\p{L}\p{N}]/u.test(a) && /[\p{L}\p{N}]/u.test(b) && !WIDE.test(a) && !WIDE.test(b) ? ' ' : '';
}

/** Joins words into one line of text with the right separators. */
export function joinWords(words: readonly string[], spaceless: boolean): string {
  let out = '';
  for (const word of words) out = out ? out + separator(out, word, spaceless) + word : word;
  return out;
}

/** Join words into at most `MAX_LINES` lines; returns null when they do not fit. */
export function layoutLines(words: readonly string[], spaceless: boolean): string | null {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const next = line ? line + separator(line, word, spaceless) + word : word;
    if (displayWidth(next) <= MAX_LINE_CHARS) {
      line = next;
      continue;
    }
    if (!line) return null;
    lines.push(line);
    line = word;
    if (displayWidth(word) > MAX_LINE_CHARS) return null;
  }
  if (line) lines.push(line);
  return lines.length <= MAX_LINES ? lines.join('\n') : null;
}
