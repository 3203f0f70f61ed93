import { AnalysisNeedsCredits, analyseMedia } from '../agent/analysis.ts';
import type { MediaRecord } from '../durable/media.ts';
import { hasEngine } from '../lib/engine-client.ts';

/**
 * Starts speech analysis of freshly uploaded clips in the background, so that by the time the
 * user has typed "trim the pauses" the words and pauses are cached and the edit is instant.
 * Only with an engine configured, and only for files within the free analysis length
 * (src/lib/cost.ts); a failure here only costs the cache, the chat turn retries.
 */
export function prewarmAnalysis(
  env: Env,
  ctx: { waitUntil(p: Promise<unknown>): void },
  origin: string,
  records: MediaRecord[],
  language: string,
): void {
  if (!hasEngine(env)) return;
  for (const media of records) {
    if (media.kind === 'image' || media.has_audio === false) continue;
    ctx.waitUntil(
      analyseMedia(env, origin, media, language).catch((err) => {
        // Past the free length, analysis waits for a chat turn that pays for it: uploads alone
        // never start unpaid hours of CPU work.
        if (err instanceof AnalysisNeedsCredits) return;
        console.warn(
          JSON.stringify({ level: 'warn', msg: 'analysis pre-warm failed', media: media.media_id, error: String(err) }),
        );
      }),
    );
  }
}
