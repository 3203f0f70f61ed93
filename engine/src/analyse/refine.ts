/**
 * Voice activity and words, reconciled. The detector decides where the pauses are; the words keep
 * it honest: a confident word that lies wholly inside a "pause" is speech the detector missed, so
 * the pause is split around it (a cut never removes a recognised word). A word that spills into a
 * pause is clamped to the speech edge, because Whisper's word edges drift into the silence next to
 * them, and captions timed by the drifted edge would show a word before it is spoken.
 */
import type { RecognizedWord, Span } from '../asr/types.ts';

/** Words this sure of themselves override the detector. */
const TRUSTED_WORD_CONF = 0.5;

/** [0, durationMs] minus the speech spans: every silence, however short. */
export function complement(spans: readonly Span[], durationMs: number): Span[] {
  const out: Span[] = [];
  let cursor = 0;
  for (const p of [...spans].sort((a, b) => a.s - b.s)) {
    if (p.s > cursor) out.push({ s: cursor, e: Math.min(p.s, durationMs) });
    cursor = Math.max(cursor, p.e);
  }
  if (cursor < durationMs) out.push({ s: cursor, e: durationMs });
  return out.filter((i) => i.e - i.s > 0);
}

/** Splits `pause` around the trusted words lying wholly inside it. */
function splitAroundWords(pause: Span, words: readonly RecognizedWord[]): Span[] {
  let parts: Span[] = [pause];
  for (const w of words) {
    if (w.conf < TRUSTED_WORD_CONF || w.s < pause.s || w.e > pause.e) continue;
    parts = parts.flatMap((p) =>
      w.e <= p.s || w.s >= p.e
        ? [p]
        : [
            { s: p.s, e: w.s },
            { s: w.e, e: p.e },
          ].filter((x) => x.e > x.s),
    );
  }
  return parts;
}

export function reconcile(
  speech: readonly Span[],
  words: readonly RecognizedWord[],
  durationMs: number,
  minPauseMs: number,
  /**
   * A window of a longer file: pauses touching its edges are kept however short, because each is
   * half of a pause the window was cut in; the Worker joins the halves (src/agent/analysis-merge.ts).
   */
  opts: { keepEdgePauses?: boolean } = {},
): { pauses: Span[]; speech: Span[]; words: RecognizedWord[] } {
  const atEdge = (p: Span) => opts.keepEdgePauses === true && (p.s <= 0 || p.e >= durationMs);
  const pauses = complement(speech, durationMs)
    .flatMap((p) => splitAroundWords(p, words))
    .filter((p) => p.e - p.s >= minPauseMs || atEdge(p));
  const clamped = words.map((w) => {
    let { s, e } = w;
    for (const p of pauses) {
      if (s >= p.s && s < p.e && e > p.e) s = p.e; // starts in the pause before it
      if (e > p.s && e <= p.e && s < p.s) e = p.s; // ends in the pause after it
    }
    return s === w.s && e === w.e ? w : { ...w, s, e: Math.max(e, s + 1) };
  });
  return { pauses, speech: complement(pauses, durationMs), words: clamped };
}
