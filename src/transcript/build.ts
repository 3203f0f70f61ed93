/**
 * The transcript of a session's current timeline: every analysed word of the clips on the main
 * track, with a stable id (`<media_id>:<index>`), its text (Whisper's punctuation, with the
 * session's caption corrections applied), source and timeline times (or `cut: true`), confidence
 * and filler flag. Pure: the route loads the draft and analyses, this shapes them.
 */
import { applyGlossary } from '../draft/ops/glossary.ts';
import { sourceToTimeline } from '../draft/ops/timeline.ts';
import type { OpContext } from '../draft/ops/types.ts';
import { locateWords } from '../draft/ops/word-match.ts';
import type { Draft } from '../draft/schema.ts';

export interface TranscriptWord {
  id: string;
  text: string;
  media_id: string;
  src_s: number;
  src_e: number;
  /** Timeline ms; null when the current draft cut the word. */
  s: number | null;
  e: number | null;
  cut: boolean;
  conf: number | null;
  filler: boolean;
}

type Analysis = OpContext['analysis'][string] & { words: { conf?: number }[] };

export function buildTranscript(
  draft: Draft,
  analysis: Readonly<Record<string, Analysis>>,
  language: string,
): TranscriptWord[] {
  const located = locateWords(draft, { analysis });
  const out: TranscriptWord[] = [];
  // Corrections apply per clip and keep the id of the first word they replace.
  for (const src of new Set(located.map((w) => w.src))) {
    const words = located.filter((w) => w.src === src);
    for (const w of applyGlossary(words, draft.m?.glossary, language)) {
      const span = w.at === null ? null : sourceToTimeline(draft, src, { s: w.s, e: w.e })[0];
      const conf = (analysis[src]?.words[w.index] as { conf?: number } | undefined)?.conf;
      out.push({
        id: w.id,
        text: w.w,
        media_id: src,
        src_s: w.s,
        src_e: w.e,
        s: span ? Math.round(span.s) : null,
        e: span ? Math.round(span.e) : null,
        cut: w.at === null,
        conf: conf ?? null,
        filler: w.filler,
      });
    }
  }
  return out;
}
