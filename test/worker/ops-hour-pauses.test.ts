/**
 * "Trim the pauses, add captions" on an hour-long talk: more pauses than one draft may cut from
 * one file, so the longest that fit are cut (src/draft/ops/pause-fit.ts) and the reply says so;
 * an hour of captions does not count toward the video/audio segment limit.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import type { MediaRow, TurnDeps } from '../../src/agent/deps.ts';
import { embeddedPlanner } from '../../src/agent/planner/embedded.ts';
import { type AdkEvent, sseStream } from '../../src/agent/sse.ts';
import { runTurn } from '../../src/agent/turn.ts';
import { DRAFT_LIMITS, segmentLimitProblem } from '../../src/draft/limits.ts';
import { planPauseCuts } from '../../src/draft/ops/pause-fit.ts';
import { trimPauses } from '../../src/draft/ops/trim-pauses.ts';
import type { MediaAnalysis } from '../../src/draft/ops/types.ts';
import { type Draft, DraftSchema, TrackType } from '../../src/draft/schema.ts';
import { baseDraft, ctx, ANALYSIS as SHORT } from './ops-fixtures.ts';

const HOUR_MS = 3600_000;
const ROW: MediaRow = {
  media_id: 'med_h',
  name: 'podcast.mp4',
  kind: 'video',
  duration_ms: HOUR_MS,
  width: 1920,
  height: 1080,
  has_audio: true,
  r2_key: 'u/med_h',
  content_hash: 'hash_med_h_0000',
};

/**
 * An hour of talk: 1,200 pauses of 0.5-2.49 s (every 10 ms step occurs, shuffled), each after
 * 0.5-2.5 s of words 350 ms apart.
 */
function hourAnalysis(): MediaAnalysis {
  const pauses: MediaAnalysis['pauses'] = [];
  const words: MediaAnalysis['words'] = [];
  const speech: MediaAnalysis['speech'] = [];
  const pauseCount = 1200;
  const slotMs = HOUR_MS / pauseCount; // 3 s of speech + one pause per slot
  for (let i = 0; i < pauseCount; i++) {
    const start = i * slotMs;
    const pauseMs = 500 + ((i * 7919) % 200) * 10; // 0.5 s .. 2.49 s, shuffled
    const speechEnd = start + slotMs - pauseMs;
    speech.push({ s: start, e: speechEnd });
    for (let t = start + 50, n = 0; t + 300 <= speechEnd; t += 350, n++)
      words.push({ w: n % 6 === 5 ? 'talk.' : 'word', s: t, e: t + 300, filler: false });
    pauses.push({ s: speechEnd, e: start + slotMs });
  }
  return { pauses, speech, words };
}

const HOUR = hourAnalysis();
const hourCtx = () => ctx({ media: [ROW], analysis: { med_h: HOUR } });
const hourDraft = (): Draft =>
  DraftSchema.parse({
    w: 1920,
    h: 1080,
    d: HOUR_MS,
    t: [{ id: 'v1', tt: 0, m: { name: 'podcast' }, sg: [{ id: 's1', src: 'med_h', s: 0, d: HOUR_MS, in: 0 }] }],
  });
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

function hourDeps(language: 'en' | 'zh') {
  let draft = hourDraft();
  const commits: string[] = [];
  const deps: TurnDeps = {
    sessionId: 'ses_hour',
    language,
    planner: embeddedPlanner,
    loadDraft: async () => ({ draft, version: commits.length }),
    listMedia: async () => [ROW],
    commit: async (next, op) => {
      draft = next;
      commits.push(op);
      return { version: commits.length };
    },
    undo: async () => null,
    redo: async () => null,
    balance: async () => ({ available: 0, frozen: 0, total: 0 }),
    analyse: async () => ({ result: { ...HOUR, language, asr_provider: 'fixture' }, cached: true }),
  };
  return { deps, commits, current: () => draft };
}

async function finalText(deps: TurnDeps, message: string): Promise<string> {
  const { sink, response, close } = sseStream('nemo_agent', {});
  const body = response.text();
  await runTurn(sink, deps, message).finally(close);
  const events: AdkEvent[] = [];
  const parser = createParser({
    onEvent: (e: EventSourceMessage) => {
      if (e.event !== 'heartbeat') events.push(JSON.parse(e.data) as AdkEvent);
    },
  });
  parser.feed(await body);
  const last = events.at(-1)!;
  expect(last.turnComplete).toBe(true);
  return last.content!.parts.flatMap((p) => ('text' in p ? [p.text] : [])).join('\n');
}

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
