/**
 * One analysis from the windows of a long file (src/agent/analysis-windows.ts). Windows are
 * consecutive and cut inside pauses, so no word crosses a seam and none is counted twice; what
 * changes at a seam is only the pause it was cut in, which arrives as two halves (the engine keeps
 * edge pauses however short) and is joined back into one here. Pure.
 */
import type { AnalyseResult } from '../lib/engine-protocol.ts';

/** The engine's shortest pause (ENGINE_MIN_PAUSE_MS, default 400): a joined pause shorter than this is none. */
export const MERGE_MIN_PAUSE_MS = 400;
/** Window edges are rounded to the ms; halves closer than this touch. */
const SEAM_TOLERANCE_MS = 2;

interface Span {
  s: number;
  e: number;
}

/** [0, durationMs] minus `pauses` (sorted, disjoint): speech is what the pauses leave. */
function complement(pauses: readonly Span[], durationMs: number): Span[] {
  const out: Span[] = [];
  let cursor = 0;
  for (const p of pauses) {
    if (p.s > cursor) out.push({ s: cursor, e: p.s });
    cursor = Math.max(cursor, p.e);
  }
  if (cursor < durationMs) out.push({ s: cursor, e: durationMs });
  return out;
}

function joinPauses(pauses: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const p of [...pauses].sort((a, b) => a.s - b.s)) {
    const last = out.at(-1);
    if (last && p.s - last.e <= SEAM_TOLERANCE_MS) last.e = Math.max(last.e, p.e);
    else out.push({ s: p.s, e: p.e });
  }
  return out.filter((p) => p.e - p.s >= MERGE_MIN_PAUSE_MS);
}

/**
 * `parts`: the windows' answers, any order, each in source time with its start_ms/end_ms. The
 * result has the shape of a whole file's analysis (no start_ms/end_ms).
 */
export function mergeWindowAnalyses(
  parts: readonly AnalyseResult[],
  contentHash: string,
  language: string,
): AnalyseResult {
  const sorted = [...parts].sort((a, b) => (a.start_ms ?? 0) - (b.start_ms ?? 0));
  const last = sorted.at(-1);
  const durationMs = last ? (last.end_ms ?? (last.start_ms ?? 0) + last.duration_ms) : 0;
  const pauses = joinPauses(sorted.flatMap((p) => p.pauses));
  const words = sorted.flatMap((p) => p.words).sort((a, b) => a.s - b.s);
  const withWords = sorted.find((p) => p.words.length > 0);
  return {
    content_hash: contentHash,
    duration_ms: durationMs,
    pauses,
    speech: complement(pauses, durationMs),
    words,
    language: withWords?.language ?? sorted[0]?.language ?? language,
    asr_provider: sorted.find((p) => p.asr_provider !== 'none')?.asr_provider ?? sorted[0]?.asr_provider ?? 'none',
    cached: sorted.length > 0 && sorted.every((p) => p.cached),
  };
}
