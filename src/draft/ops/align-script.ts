/**
 * Aligning the user's script to the recognised words: the script has the right words and
 * punctuation, the recogniser has the times. A word-level edit-distance alignment (match,
 * substitute, insert, delete) pairs them. A script word paired with a recognised word takes its
 * time (a substitution too: "cards" heard for "Carl's" is still the same moment). Script words
 * the recogniser missed share the time between their aligned neighbours by length. Where the
 * speaker went off-script (a run of recognised words with no script counterpart), those words
 * are kept as heard, so the captions still show what was said.
 */
import { isSpaceless } from './captions-text.ts';
import { wordKey } from './glossary.ts';
import type { AnalysisWord } from './types.ts';

/** Off-script runs at least this long keep the recognised words. */
const OFF_SCRIPT_WORDS = 4;
/** The alignment is quadratic: larger inputs are refused with a clear message upstream. */
export const MAX_ALIGN_WORDS = 6000;

/** Script text → display tokens: words with their punctuation (Chinese: characters, punctuation attached). */
export function scriptTokens(script: string, language: string): string[] {
  if (!isSpaceless(language)) return script.split(/\s+/).filter((t) => wordKey(t));
  const tokens: string[] = [];
  for (const ch of script.replace(/\s+/g, ' ').trim()) {
    if (wordKey(ch) && !/[A-Za-z0-9]/.test(ch)) tokens.push(ch);
    else if (/[A-Za-z0-9']/.test(ch) && /[A-Za-z0-9']$/.test(tokens.at(-1) ?? '')) tokens[tokens.length - 1] += ch;
    else if (/[A-Za-z0-9]/.test(ch)) tokens.push(ch);
    else if (tokens.length && ch !== ' ') tokens[tokens.length - 1] += ch; // punctuation joins the word before
  }
  return tokens;
}

/** For spaceless languages the recognised words are split into characters to align with the script's. */
function recognisedUnits<T extends AnalysisWord>(words: readonly T[], language: string): T[] {
  if (!isSpaceless(language)) return [...words];
  return words.flatMap((w) => {
    const chars = [...wordKey(w.w)];
    if (chars.length <= 1 || /^[a-z0-9']+$/.test(wordKey(w.w))) return [w];
    const step = (w.e - w.s) / chars.length;
    return chars.map((ch, i) => ({ ...w, w: ch, s: Math.round(w.s + i * step), e: Math.round(w.s + (i + 1) * step) }));
  });
}

type Step = 'match' | 'sub' | 'ins' | 'del';

/** Edit-distance alignment of keys; returns pairs of (script index | null, recognised index | null). */
function align(a: string[], b: string[]): [number | null, number | null][] {
  const n = a.length;
  const m = b.length;
  const cost = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = 0; i <= n; i++) cost[at(i, 0)] = i;
  for (let j = 0; j <= m; j++) cost[at(0, j)] = j;
  for (let i = 1; i <= n; i++)
    for (let j = 1; j <= m; j++)
      cost[at(i, j)] = Math.min(
        cost[at(i - 1, j - 1)]! + (a[i - 1] === b[j - 1] ? 0 : 1),
        cost[at(i - 1, j)]! + 1,
        cost[at(i, j - 1)]! + 1,
      );
  const pairs: [number | null, number | null][] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const here = cost[at(i, j)]!;
    let step: Step;
    if (i > 0 && j > 0 && here === cost[at(i - 1, j - 1)]! + (a[i - 1] === b[j - 1] ? 0 : 1))
      step = a[i - 1] === b[j - 1] ? 'match' : 'sub';
    else if (i > 0 && here === cost[at(i - 1, j)]! + 1) step = 'del';
    else step = 'ins';
    if (step === 'match' || step === 'sub') pairs.push([--i, --j]);
    else if (step === 'del') pairs.push([--i, null]);
    else pairs.push([null, --j]);
  }
  return pairs.reverse();
}

/** Script words with times taken from the recognised words (see the file comment). */
export function alignScript<T extends AnalysisWord>(script: string, words: readonly T[], language: string): T[] {
  const tokens = scriptTokens(script, language);
  const units = recognisedUnits(
    words.filter((w) => !w.filler),
    language,
  );
  const pairs = align(
    tokens.map(wordKey),
    units.map((u) => wordKey(u.w)),
  );
  const out: (T | { w: string; s: null; e: null })[] = [];
  let offScript: T[] = [];
  const flushOffScript = () => {
    if (offScript.length >= OFF_SCRIPT_WORDS) out.push(...offScript);
    offScript = [];
  };
  for (const [ti, ui] of pairs) {
    if (ti === null) {
      offScript.push(units[ui!]!);
      continue;
    }
    flushOffScript();
    const unit = ui === null ? null : units[ui]!;
    out.push(unit ? { ...unit, w: tokens[ti]!, filler: false } : { w: tokens[ti]!, s: null, e: null });
  }
  flushOffScript();
  return interpolate(out);
}

/** Untimed script words share the time between their timed neighbours, by length. */
function interpolate<T extends AnalysisWord>(words: (T | { w: string; s: null; e: null })[]): T[] {
  const result: T[] = [];
  for (let i = 0; i < words.length; ) {
    const w = words[i]!;
    if (w.s !== null) {
      result.push(w as T);
      i++;
      continue;
    }
    let j = i;
    while (j < words.length && words[j]!.s === null) j++;
    const from = result.at(-1)?.e ?? words[j]?.s ?? 0;
    const to = (words[j]?.s as number | undefined) ?? from + 300 * (j - i);
    const run = words.slice(i, j);
    const total = run.reduce((n, x) => n + x.w.length, 0) || 1;
    // Untimed words belong with their timed neighbour (its clip, for a script over several clips).
    const like = (result.at(-1) ?? words[j]) as T | undefined;
    if (!like) break; // nothing was recognised at all: no times to give (the op refuses this case)
    let cursor = from;
    for (const x of run) {
      const d = ((to - from) * x.w.length) / total;
      result.push({ ...like, w: x.w, s: Math.round(cursor), e: Math.round(cursor + Math.max(d, 1)), filler: false });
      cursor += d;
    }
    i = j;
  }
  return result;
}
