/**
 * Words as compared, searched and cut, not as shown: lower case, no punctuation, hyphenated words
 * split, common English abbreviations spelled out (Whisper writes "Mr.", read speech says
 * "mister"). Captions keep the recogniser's own spelling; this is for matching and scoring.
 */

const ABBREVIATIONS: Record<string, string> = {
  mr: 'mister',
  mrs: 'missus',
  ms: 'miss',
  dr: 'doctor',
  st: 'saint',
  vs: 'versus',
};

/** One displayed word → the normalised tokens it stands for (none for bare punctuation). */
export function normalizeWord(word: string): string[] {
  return word
    .toLowerCase()
    .replace(/[-‐‑–—_/]/g, ' ')
    .replace(/[^\p{L}\p{N}'\s]/gu, '')
    .split(/\s+/)
    .map((t) => t.replace(/^'+|'+$/g, ''))
    .filter(Boolean)
    .map((t) => ABBREVIATIONS[t] ?? t);
}

export function normalizeWords(words: readonly string[]): string[] {
  return words.flatMap(normalizeWord);
}

/** Han characters, kana and hangul: scored per character, since they are written without spaces. */
const SPACELESS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

export function isSpacelessText(text: string): boolean {
  return SPACELESS.test(text);
}
