import { AppError, ErrorCode } from './errors.ts';

/**
 * What a render costs, in credits. Documented in docs/rendering.md ("What a render costs"):
 *   1 credit per started 10 s of output at up to 1080p (≤ 1920×1080 pixels, any orientation),
 *   twice that above 1080p ("4K" tier, which the free plan refuses with code 402), minimum 1.
 * So a 30 s 1080p render costs 3 of the 100 starter credits.
 */
export const CREDITS_PER_10S = 1;
export const HD_MAX_PIXELS = 1920 * 1080;
export const UHD_MULTIPLIER = 2;

export type Plan = 'free' | 'paid';

export function renderCostCredits(durationMs: number, width: number, height: number): number {
  const blocks = Math.ceil(Math.max(0, durationMs) / 10_000);
  const multiplier = width * height > HD_MAX_PIXELS ? UHD_MULTIPLIER : 1;
  return Math.max(1, blocks * CREDITS_PER_10S * multiplier);
}

/** Throws 402 when the plan does not allow the output size (above 1080p needs a paid plan). */
export function assertPlanAllows(plan: Plan, width: number, height: number): void {
  if (plan === 'free' && width * height > HD_MAX_PIXELS) {
    throw new AppError(
      ErrorCode.PLAN_FORBIDS,
      `Output ${width}x${height} is above 1080p, which the free plan does not include`,
      {
        max_pixels: HD_MAX_PIXELS,
      },
    );
  }
}

/**
 * What speech analysis costs. Analysis of a file's first 10 minutes of audio is free (it starts
 * by itself when the upload lands); beyond that, 1 credit per started 10 minutes, charged when
 * a chat turn first needs the words. So a 2-hour podcast costs 11 credits to analyse, once per
 * language (the result is cached), and uploads alone never start unpaid hours of CPU work.
 */
export const ANALYSIS_FREE_MS = 10 * 60_000;
export const ANALYSIS_BLOCK_MS = 10 * 60_000;

export function analysisCostCredits(durationMs: number | null | undefined): number {
  const over = Math.max(0, (durationMs ?? 0) - ANALYSIS_FREE_MS);
  return Math.ceil(over / ANALYSIS_BLOCK_MS);
}
