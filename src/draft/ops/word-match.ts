/**
 * Words of the analysis as the transcript names them: `<media_id>:<index>` (stable as long as
 * the file's analysis is, which is cached per content), and phrases found on the timeline.
 */

import type { Draft } from '../schema.ts';
import { isSpaceless } from './captions-text.ts';
import { matchAt } from './glossary.ts';
import { mainTrackSources, sourcePointToTimeline } from './timeline.ts';
import type { AnalysisWord, OpContext } from './types.ts';

export interface LocatedWord extends AnalysisWord {
  id: string;
  src: string;
  index: number;
  /** Timeline start, or null when the current draft cut the word. */
  at: number | null;
}

export const wordId = (src: string, index: number) => `${src}:${index}`;

/** Every analysed word of the main track's sources, in timeline order (cut words after their neighbours). */
export function locateWords(draft: Draft, ctx: Pick<OpContext, 'analysis'>): LocatedWord[] {
  const out: LocatedWord[] = [];
  for (const src of mainTrackSources(draft)) {
    (ctx.analysis[src]?.words ?? []).forEach((w, index) => {
      const at = sourcePointToTimeline(draft, src, (w.s + w.e) / 2);
      out.push({ ...w, id: wordId(src, index), src, index, at });
    });
  }
  return out;
}

/** The first run of kept words spelling `phrase`, at or after word `from` (indices into `words`). */
export function findPhrase(
  words: readonly LocatedWord[],
  phrase: string,
  language: string,
  from = 0,
): { first: number; last: number } | null {
  const kept = words.map((w, i) => ({ w, i })).filter((x) => x.i >= from && x.w.at !== null);
  const spaceless = isSpaceless(language);
  for (let k = 0; k < kept.length; k++) {
    const end = matchAt(
      kept.map((x) => x.w),
      k,
      phrase,
      spaceless,
    );
    if (end > 0) return { first: kept[k]!.i, last: kept[end - 1]!.i };
  }
  return null;
}
