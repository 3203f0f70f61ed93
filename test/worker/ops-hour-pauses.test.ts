/**
 * "Trim the pauses, add captions" on an hour-long talk: more pauses than one draft may cut from
 * one file, so the longest that fit are cut (src/draft/ops/pause-fit.ts) and the reply says so;
 * an hour of captions does not count toward the video/audio segment limit.
 */
import { describe, expect, it } from 'vitest';
import { DRAFT_LIMITS, segmentLimitProblem } from '../../src/draft/limits.ts';
import { planPauseCuts } from '../../src/draft/ops/pause-fit.ts';
import { trimPauses } from '../../src/draft/ops/trim-pauses.ts';
import { DraftSchema, TrackType } from '../../src/draft/schema.ts';
import { finalText, HOUR_MS, hourAnalysis, hourDeps as hourDepsWith, hourDraft, ROW } from './hour-fixtures.ts';
import { baseDraft, ctx, ANALYSIS as SHORT } from './ops-fixtures.ts';

const HOUR = hourAnalysis({ fillers: false });
const hourCtx = () => ctx({ media: [ROW], analysis: { med_h: HOUR } });
const args = trimPauses.args.parse({});

describe('planPauseCuts', () => {
  it('within the limits cuts every pause of the asked length, as before', () => {
    const plan = planPauseCuts(baseDraft(), args, SHORT);
    expect(plan).toMatchObject({ found: 2, cut: 2, minSilenceMs: 500 });
    expect(trimPauses.note?.(baseDraft(), args, ctx())).toBeNull();
  });

  it('over the limits raises the minimum to the smallest pause length that fits', () => {
    const plan = planPauseCuts(hourDraft(), args, { med_h: HOUR });
    expect(plan.found).toBe(1200);
    expect(plan.cut).toBeLessThan(DRAFT_LIMITS.maxSegmentsPerSource);
    expect(plan.cut).toBeGreaterThan(300);
    expect(plan.minSilenceMs).toBeGreaterThan(500);
    // Every pause that long is cut, and the next shorter length would be one cut too many.
    const lengths = HOUR.pauses.map((p) => p.e - p.s);
    expect(lengths.filter((l) => l >= plan.minSilenceMs)).toHaveLength(plan.cut);
    const shorter = Math.max(...lengths.filter((l) => l < plan.minSilenceMs));
    const more = planPauseCuts(hourDraft(), { ...args, min_silence_ms: shorter }, { med_h: HOUR });
    expect(more.cut).toBeLessThan(more.found); // still capped: `shorter` alone does not fit
    expect(more.minSilenceMs).toBe(plan.minSilenceMs);
  });
});

describe('trim_pauses on an hour', () => {
  it('keeps the draft valid with at most the per-source limit of pieces', () => {
    const out = trimPauses.apply(hourDraft(), args, hourCtx());
    expect(DraftSchema.safeParse(out).success).toBe(true);
    expect(segmentLimitProblem(out.t)).toBeNull();
    const pieces = out.t[0]!.sg.length;
    expect(pieces).toBeLessThanOrEqual(DRAFT_LIMITS.maxSegmentsPerSource);
    expect(pieces).toBeGreaterThan(300);
    expect(out.d).toBeLessThan(HOUR_MS - 300 * 1000); // over 300 pauses of 1 s+ gone
  });
});

const hourDeps = (language: 'en' | 'zh') => hourDepsWith(language, HOUR);

describe('"trim the pauses, add captions" on an hour', () => {
  it('trims the longest pauses that fit, captions the result and says how many and from what length', async () => {
    const { deps, commits, current } = hourDeps('en');
    const text = await finalText(deps, 'trim the pauses, add captions');
    expect(commits).toEqual(['trim_pauses+add_captions']);
    const draft = current();
    expect(DraftSchema.safeParse(draft).success).toBe(true);
    expect(segmentLimitProblem(draft.t)).toBeNull();
    const video = draft.t.find((t) => t.tt === TrackType.video)!;
    expect(video.sg.length).toBeLessThanOrEqual(DRAFT_LIMITS.maxSegmentsPerSource);
    const captions = draft.t.find((t) => t.m.kind === 'caption')!;
    // More cues than maxSegments: they have their own cap.
    expect(captions.sg.length).toBeGreaterThan(DRAFT_LIMITS.maxSegments);
    const last = captions.sg.at(-1)!;
    expect(last.s + last.d).toBeLessThanOrEqual(draft.d); // made after the trim, on the shorter timeline
    const plan = planPauseCuts(hourDraft(), args, { med_h: HOUR });
    const threshold = (Math.round(plan.minSilenceMs / 10) / 100).toString();
    expect(text).toContain(`This 60-minute video has 1,200 pauses of 0.5 s or longer`);
    expect(text).toContain(`I trimmed the ${plan.cut} longest (${threshold} s or longer)`);
    expect(text).toMatch(/added [\d,]+ captions/);
  });

  it('says it in Chinese in a Chinese session', async () => {
    const { deps, current } = hourDeps('zh');
    const text = await finalText(deps, '剪掉停顿');
    const plan = planPauseCuts(hourDraft(), args, { med_h: HOUR });
    expect(text).toContain(`有 1200 处 0.5 秒以上的停顿；我剪掉了最长的 ${plan.cut} 处`);
    expect(current().t[0]!.sg.length).toBe(plan.cut + 1);
  });
});
