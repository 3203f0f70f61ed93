/** Error rates for scoring recognisers: words for English, characters for Chinese. */
import { normalizeWords } from './normalize.ts';

function editDistance(r: readonly string[], h: readonly string[]): number {
  let prev = Array.from({ length: h.length + 1 }, (_, j) => j);
  for (let i = 1; i <= r.length; i++) {
    const cur = [i];
    for (let j = 1; j <= h.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (r[i - 1] === h[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[h.length]!;
}

/** Word error rate: word-level edit distance over the reference length, after normalizeWords. */
export function wordErrorRate(reference: string[], hypothesis: string[]): number {
  const r = normalizeWords(reference);
  return r.length ? editDistance(r, normalizeWords(hypothesis)) / r.length : 0;
}

/** Character error rate, ignoring punctuation and spaces (Chinese has no words to count). */
export function charErrorRate(reference: string, hypothesis: string): number {
  const chars = (s: string) => [...s.replace(/[^\p{L}\p{N}]/gu, '').toLowerCase()];
  const r = chars(reference);
  return r.length ? editDistance(r, chars(hypothesis)) / r.length : 0;
}
