/**
 * Caption corrections. Recognition is never perfect, so a session keeps a glossary of fixes
 * ("cards" → "Carl's", "程式" → "城市") in its draft. Each fix is applied to a run of words:
 * in English the words of `from` must match whole words (case and punctuation ignored); in
 * Chinese the characters of `from` must match a run of words exactly, without spaces. The
 * corrected text takes the run's first start and last end, and keeps the last word's trailing
 * punctuation ("cards," → "Carl's,").
 */
import { isSpaceless } from './captions-text.ts';

export interface GlossaryEntry {
  from: string;
  to: string;
}

interface Timed {
  w: string;
  s: number;
  e: number;
}

/** Letters and digits only, lower case: how words are compared. */
export function wordKey(word: string): string {
  return word.toLowerCase().replace(/[^\p{L}\p{N}']/gu, '');
}

function keysOf(phrase: string, spaceless: boolean): string[] {
  if (spaceless) return [wordKey(phrase)].filter(Boolean);
  return phrase.split(/\s+/).map(wordKey).filter(Boolean);
}

/** Where `phrase` begins at word `i`: the index after its last word, or -1. */
export function matchAt(words: readonly { w: string }[], i: number, phrase: string, spaceless: boolean): number {
  const keys = keysOf(phrase, spaceless);
  if (keys.length === 0) return -1;
  if (spaceless) {
    let joined = '';
    for (let j = i; j < words.length; j++) {
      joined += wordKey(words[j]!.w);
      if (joined === keys[0]) return j + 1;
      if (!keys[0]!.startsWith(joined)) return -1;
    }
    return -1;
  }
  for (let k = 0; k < keys.length; k++) if (wordKey(words[i + k]?.w ?? '') !== keys[k]) return -1;
  return i + keys.length;
}

const trailingPunct = (w: string) => /[^\p{L}\p{N}']+$/u.exec(w)?.[0] ?? '';

/** The words with every glossary fix applied (a new array; words not fixed are kept as they are). */
export function applyGlossary<T extends Timed>(
  words: readonly T[],
  glossary: readonly GlossaryEntry[] | undefined,
  language: string | undefined,
): T[] {
  if (!glossary?.length) return [...words];
  const spaceless = isSpaceless(language);
  let out = [...words];
  for (const fix of glossary) {
    const next: T[] = [];
    for (let i = 0; i < out.length; ) {
      const end = matchAt(out, i, fix.from, spaceless);
      if (end < 0) {
        next.push(out[i]!);
        i++;
        continue;
      }
      const last = out[end - 1]!;
      const tail = trailingPunct(last.w);
      if (fix.to) next.push({ ...out[i]!, w: fix.to.endsWith(tail) ? fix.to : fix.to + tail, e: last.e });
      i = end;
    }
    out = next;
  }
  return out;
}

/**
 * The session's corrected words as a recogniser bias list ("transcribe it again"). Analyses made
 * with it are cached under this exact string, so everything that looks one up builds it here.
 */
export function glossaryHotwords(glossary: readonly GlossaryEntry[] | undefined): string {
  return [...new Set((glossary ?? []).map((g) => g.to.trim()).filter(Boolean))].join(' ').slice(0, 1000);
}
