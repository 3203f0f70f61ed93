/**
 * How much work one draft may ask for. A render costs credits by duration, not by effort, so
 * without these a single credit bought gigabytes of ffmpeg memory (hundreds of segments each
 * opening a decoder, numbers like 1e308, fps 1e-9). Shared by the Worker (checked before any
 * credit is frozen), the agent's edits and the engine, through the draft schema.
 */
export const DRAFT_LIMITS = {
  /** Longest timeline and longest any time field (`s`, `d`, `in`, fades, words) may be: 3 hours. */
  maxMs: 3 * 3600_000,
  /** Every segment opens its own decoder in the engine (~20 MB each at 1080p). */
  maxSegments: 150,
  /** Segments cut from one source (a "trim the pauses" on a long talk makes many). */
  maxSegmentsPerSource: 64,
  maxTracks: 16,
  /** Characters in one title, text overlay or caption. */
  maxTextChars: 500,
  /** Words (for highlighting) in one caption. */
  maxCaptionWords: 200,
  /** Ids, names and other short strings. */
  maxIdChars: 128,
  minFps: 1,
  maxFps: 120,
} as const;

/** Counts segments per draft and per source; the first limit exceeded, with the path to report. */
export function segmentLimitProblem(tracks: { sg: object[] }[]): { path: (string | number)[]; message: string } | null {
  let total = 0;
  const perSource = new Map<string, number>();
  for (const [ti, track] of tracks.entries()) {
    for (const [si, seg] of track.sg.entries()) {
      total++;
      if (total > DRAFT_LIMITS.maxSegments) {
        return {
          path: ['t', ti, 'sg', si],
          message: `too many segments: at most ${DRAFT_LIMITS.maxSegments} per draft`,
        };
      }
      if (!('src' in seg) || typeof seg.src !== 'string') continue; // text segments have no source
      const n = (perSource.get(seg.src) ?? 0) + 1;
      perSource.set(seg.src, n);
      if (n > DRAFT_LIMITS.maxSegmentsPerSource) {
        return {
          path: ['t', ti, 'sg', si, 'src'],
          message: `too many segments of ${seg.src}: at most ${DRAFT_LIMITS.maxSegmentsPerSource} per source`,
        };
      }
    }
  }
  return null;
}
