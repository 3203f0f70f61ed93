/**
 * How much work one draft may ask for. A render costs credits by duration, not by effort, so
 * without these a single credit bought gigabytes of ffmpeg memory (hundreds of segments each
 * opening a decoder, numbers like 1e308, fps 1e-9). Shared by the Worker (checked before any
 * credit is frozen), the agent's edits and the engine, through the draft schema.
 */
import { decodesPerSource } from './decode-runs.ts';
import { TrackType } from './track-type.ts';

export const DRAFT_LIMITS = {
  /** Longest timeline and longest any time field (`s`, `d`, `in`, fades, words) may be: 3 hours. */
  maxMs: 3 * 3600_000,
  /**
   * Video and audio segments per draft. Many segments of one source are cut from one decode
   * (decode-runs.ts), so memory no longer grows with this; what is left per segment is a few small
   * filters. Text segments (captions, titles) do not count: see maxTextSegments.
   */
  maxSegments: 500,
  /**
   * Text segments (captions, titles, text overlays) per draft. Each text track is one libass filter
   * reading one generated .ass file (engine/src/render/layers/captions.ts, text.ts), so a cue costs
   * an ASS event, not a decode branch. 6,000 covers 3 hours (maxMs) of dense speech (an hour of
   * talk makes ~1,000 cues); the JSON of a draft holding that many stays under the DO's 2 MB row.
   */
  maxTextSegments: 6000,
  /**
   * Segments cut from one source (a "trim the pauses" on a long talk makes many). Each is a branch
   * every decoded frame of its run visits until the branch ends: CPU, not memory (400 cuts render
   * 40 s of 720p in ~15 s on 2 cores; 1000 took 213 s). docs/security.md.
   */
  maxSegmentsPerSource: 400,
  /** Inputs the engine opens per draft: each is a decoder (~20-60 MB at 1080p). */
  maxDecodes: 150,
  /** Separate decodes of one source (reordered or repeated uses each need another, decode-runs.ts). */
  maxDecodesPerSource: 64,
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

/** Counts segments and decodes per draft and per source; the first limit exceeded, with the path to report. */
export function segmentLimitProblem(
  tracks: { tt?: unknown; sg: object[] }[],
): { path: (string | number)[]; message: string } | null {
  let total = 0;
  let texts = 0;
  const perSource = new Map<string, number>();
  for (const [ti, track] of tracks.entries()) {
    for (const [si, seg] of track.sg.entries()) {
      if (track.tt === TrackType.text) {
        if (++texts > DRAFT_LIMITS.maxTextSegments) {
          return {
            path: ['t', ti, 'sg', si],
            message: `too many captions and texts: at most ${DRAFT_LIMITS.maxTextSegments} per draft`,
          };
        }
        continue;
      }
      total++;
      if (total > DRAFT_LIMITS.maxSegments) {
        return {
          path: ['t', ti, 'sg', si],
          message: `too many video and audio segments: at most ${DRAFT_LIMITS.maxSegments} per draft`,
        };
      }
      if (!('src' in seg) || typeof seg.src !== 'string') continue;
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
  const decodes = decodesPerSource(tracks);
  let totalDecodes = 0;
  for (const [src, n] of decodes) {
    totalDecodes += n;
    const at = firstUse(tracks, src);
    if (n > DRAFT_LIMITS.maxDecodesPerSource) {
      return {
        path: [...at, 'src'],
        message: `${src} would be decoded ${n} times (segments out of source order or repeated): at most ${DRAFT_LIMITS.maxDecodesPerSource} decodes per source`,
      };
    }
    if (totalDecodes > DRAFT_LIMITS.maxDecodes) {
      return { path: at, message: `too many separate decodes: at most ${DRAFT_LIMITS.maxDecodes} per draft` };
    }
  }
  return null;
}

function firstUse(tracks: { sg: object[] }[], src: string): (string | number)[] {
  for (const [ti, track] of tracks.entries()) {
    const si = track.sg.findIndex((seg) => 'src' in seg && seg.src === src);
    if (si >= 0) return ['t', ti, 'sg', si];
  }
  return ['t'];
}
