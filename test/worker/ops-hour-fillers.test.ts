/**
 * "Remove the ums" on an hour-long talk: more fillers than one draft may cut from one file, so the
 * longest that fit are cut (src/draft/ops/filler-fit.ts over fit-cuts.ts) and the reply says how
 * many; with "trim the pauses" in the same turn the two split the room (OpContext.cutShare).
 */
import { describe, expect, it } from 'vitest';
import { cutShares } from '../../src/agent/turn.ts';
import { DRAFT_LIMITS, segmentLimitProblem } from '../../src/draft/limits.ts';
import { planFillerCuts } from '../../src/draft/ops/filler-fit.ts';
import { planPauseCuts } from '../../src/draft/ops/pause-fit.ts';
import { removeFillers } from '../../src/draft/ops/remove-fillers.ts';
import { trimPauses } from '../../src/draft/ops/trim-pauses.ts';
import { type Draft, DraftSchema } from '../../src/draft/schema.ts';
import { finalText, HOUR_MS, hourAnalysis, hourDeps, hourDraft, ROW } from './hour-fixtures.ts';
import { baseDraft, ctx } from './ops-fixtures.ts';

const HOUR = hourAnalysis({ fillers: true });
const FILLERS = HOUR.words.filter((w) => w.filler);
const hourCtx = (language = 'en') => ctx({ media: [ROW], analysis: { med_h: HOUR }, language });
const fillerArgs = removeFillers.args.parse({});
const pauseArgs = trimPauses.args.parse({});

function expectWithinLimits(draft: Draft) {
  expect(DraftSchema.safeParse(draft).success).toBe(true);
  expect(segmentLimitProblem(draft.t)).toBeNull();
  expect(draft.t[0]!.sg.length).toBeLessThanOrEqual(DRAFT_LIMITS.maxSegmentsPerSource);
}

describe('remove_fillers within the limits', () => {
  it('cuts every filler and says nothing more, as before', () => {
    const c = ctx();
    const plan = planFillerCuts(baseDraft(), fillerArgs, c);
    expect(plan).toMatchObject({ found: 2, cut: 2 });
    expect(removeFillers.note?.(baseDraft(), fillerArgs, c)).toBeNull();
  });
});

describe('remove_fillers on an hour', () => {
  it('cuts the longest fillers that fit, keeping the draft valid', () => {
    expect(FILLERS).toHaveLength(816);
    const plan = planFillerCuts(hourDraft(), fillerArgs, hourCtx());
    expect(plan.found).toBe(816);
    expect(plan.cut).toBe(DRAFT_LIMITS.maxSegmentsPerSource - 1); // one piece more per cut, up to the limit
    // The longest: no filler left is longer than the shortest one cut.
    const lengths = FILLERS.map((w) => w.e - w.s);
    expect(lengths.filter((l) => l > plan.minRank!).length).toBeLessThan(plan.cut);
    expect(lengths.filter((l) => l >= plan.minRank!).length).toBeGreaterThanOrEqual(plan.cut);

    const out = removeFillers.apply(hourDraft(), fillerArgs, hourCtx());
    expectWithinLimits(out);
    expect(out.t[0]!.sg).toHaveLength(plan.cut + 1);
    const removedMs = plan.ranges.reduce((sum, r) => sum + (r.e - r.s), 0);
    expect(out.d).toBe(HOUR_MS - removedMs);
  });

  it('says how many in English and Chinese', async () => {
    const plan = planFillerCuts(hourDraft(), fillerArgs, hourCtx());
    const en = await hourDeps('en', HOUR);
    const text = await finalText(en.deps, 'remove the ums and uhs');
    expect(en.commits).toEqual(['remove_fillers']);
    expectWithinLimits(en.current());
    expect(text).toContain(
      `This 60-minute video has 816 ums, uhs and other filler words; I removed the ${plan.cut} longest: the most one draft can cut from one file.`,
    );
    const zh = await hourDeps('zh', HOUR);
    const zhText = await finalText(zh.deps, '去掉嗯和呃');
    expect(zh.commits).toEqual(['remove_fillers']);
    expect(zhText).toContain(`这段 60 分钟的视频有 816 个嗯、呃之类的口头禅；我去掉了最长的 ${plan.cut} 个`);
  });
});

describe('"trim the pauses and remove the ums" on an hour', () => {
  // What the turn does: the trim, first of two ops that fit their cuts, takes half the room that
  // fits (cutShare 1/2); the fillers then get what is left (cutShare 1).
  const shares = cutShares([
    { name: 'trim_pauses', args: {} },
    { name: 'remove_fillers', args: {} },
  ]);
  const pausePlan = planPauseCuts(hourDraft(), pauseArgs, { med_h: HOUR }, 0.5);
  const trimmed = trimPauses.apply(hourDraft(), pauseArgs, { ...hourCtx(), cutShare: 0.5 });
  const fillerPlan = planFillerCuts(trimmed, fillerArgs, hourCtx());
  const alone = planPauseCuts(hourDraft(), pauseArgs, { med_h: HOUR });

  it('gives each of the two ops its share of the room, so both do real work', () => {
    expect([...shares.values()]).toEqual([0.5, 1]);
    expect(pausePlan.cut).toBeLessThanOrEqual(Math.floor(alone.cut / 2));
    expect(pausePlan.cut).toBeGreaterThan(alone.cut / 2 - 20); // equal lengths go together: near half
    expect(fillerPlan.found).toBeGreaterThan(700); // the trim cut pauses, not fillers
    expect(fillerPlan.cut).toBe(DRAFT_LIMITS.maxSegmentsPerSource - trimmed.t[0]!.sg.length);
    expect(fillerPlan.cut).toBeGreaterThan(150);
    const out = removeFillers.apply(trimmed, fillerArgs, hourCtx());
    expectWithinLimits(out);
    expect(out.t[0]!.sg).toHaveLength(trimmed.t[0]!.sg.length + fillerPlan.cut);
  });

  it('keeps the draft valid and names both counts, in English', async () => {
    const { deps, commits, current } = hourDeps('en', HOUR);
    const text = await finalText(deps, 'trim the pauses and remove the ums');
    expect(commits).toEqual(['trim_pauses+remove_fillers']);
    expectWithinLimits(current());
    expect(current().t[0]!.sg).toHaveLength(trimmed.t[0]!.sg.length + fillerPlan.cut);
    expect(text).toContain(
      `I trimmed the ${pausePlan.cut} longest (${(pausePlan.minSilenceMs / 1000).toString()} s or longer), leaving room under the most one draft can cut from one file for the other cuts you asked for.`,
    );
    expect(text).toContain(
      `This ${Math.round(trimmed.d / 60_000)}-minute video has ${fillerPlan.found} ums, uhs and other filler words; I removed the ${fillerPlan.cut} longest: the most one draft can cut from one file, on top of the cuts already made (such as trimmed pauses).`,
    );
  });

  it('and in Chinese', async () => {
    const { deps, commits, current } = hourDeps('zh', HOUR);
    const text = await finalText(deps, '剪掉停顿，去掉嗯和呃');
    expect(commits).toEqual(['trim_pauses+remove_fillers']);
    expectWithinLimits(current());
    expect(text).toContain(`我剪掉了最长的 ${pausePlan.cut} 处`);
    expect(text).toContain('给你要求的其他剪辑留出了余量');
    expect(text).toContain(
      `有 ${fillerPlan.found} 个嗯、呃之类的口头禅；我去掉了最长的 ${fillerPlan.cut} 个，加上已经剪掉的部分`,
    );
  });
});

describe('remove_fillers when the draft is already full', () => {
  it('leaves the draft as it is and says none fit, instead of failing the turn', () => {
    // Fill the file up to the limit with the fillers themselves, then ask again with "talk" added.
    const full = removeFillers.apply(hourDraft(), fillerArgs, hourCtx());
    const args = removeFillers.args.parse({ extra_words: ['talk'] });
    const out = removeFillers.apply(full, args, hourCtx());
    expect(out.t[0]!.sg).toHaveLength(full.t[0]!.sg.length);
    expect(removeFillers.note?.(full, args, hourCtx())?.en).toContain('I could remove none of them');
  });
});
