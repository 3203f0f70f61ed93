/** Caption text layout: words into lines of at most 42 characters, at most 2 lines per caption. */

export const MAX_LINE_CHARS = 42;
export const MAX_LINES = 2;

/** Languages written without spaces between words. */
export function isSpaceless(language: string | undefined): boolean {
  return /^(zh|ja|th|lo|km|my)/i.test(language ?? '');
}

/** Join words into at most `MAX_LINES` lines; returns null when they do not fit. */
export function layoutLines(words: readonly string[], spaceless: boolean): string | null {
  const sep = spaceless ? '' : ' ';
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const next = line ? line + sep + word : word;
    if (next.length <= MAX_LINE_CHARS) {
      line = next;
      continue;
    }
    if (!line) return null;
    lines.push(line);
    line = word;
    if (word.length > MAX_LINE_CHARS) return null;
  }
  if (line) lines.push(line);
  return lines.length <= MAX_LINES ? lines.join('\n') : null;
}
