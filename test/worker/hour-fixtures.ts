/**
 * An hour-long talk for the "fits the draft limits" tests (ops-hour-pauses, ops-hour-fillers):
 * the media row, a one-clip draft of it, synthetic analysis, and a chat turn run on it.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { expect } from 'vitest';
import type { MediaRow, TurnDeps } from '../../src/agent/deps.ts';
import { embeddedPlanner } from '../../src/agent/planner/embedded.ts';
import { type AdkEvent, sseStream } from '../../src/agent/sse.ts';
import { runTurn } from '../../src/agent/turn.ts';
import type { MediaAnalysis } from '../../src/draft/ops/types.ts';
import { type Draft, DraftSchema } from '../../src/draft/schema.ts';

export const HOUR_MS = 3600_000;
export const ROW: MediaRow = {
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

export const SLOTS = 1200;

/** Whether slot `i` of the hour has a filler: 816 of the 1,200 (68 in every 100). */
export const hasFiller = (i: number) => (i * 13) % 100 < 68;

/**
 * An hour of talk: 1,200 pauses of 0.5-2.49 s (every 10 ms step occurs, shuffled), each after
 * 0.5-2.5 s of words 350 ms apart. With `fillers`, 816 of the slots start with an "um" of
 * 150-290 ms (shuffled lengths) in place of their first word.
 */
export function hourAnalysis(opts: { fillers: boolean }): MediaAnalysis {
  const pauses: MediaAnalysis['pauses'] = [];
  const words: MediaAnalysis['words'] = [];
  const speech: MediaAnalysis['speech'] = [];
  const slotMs = HOUR_MS / SLOTS; // 3 s of speech + one pause per slot
  for (let i = 0; i < SLOTS; i++) {
    const start = i * slotMs;
    const pauseMs = 500 + ((i * 7919) % 200) * 10; // 0.5 s .. 2.49 s, shuffled
    const speechEnd = start + slotMs - pauseMs;
    speech.push({ s: start, e: speechEnd });
    for (let t = start + 50, n = 0; t + 300 <= speechEnd; t += 350, n++) {
      if (n === 0 && opts.fillers && hasFiller(i)) {
        words.push({ w: 'um', s: t, e: t + 150 + ((i * 31) % 15) * 10, filler: true });
        continue;
      }
      words.push({ w: n % 6 === 5 ? 'talk.' : 'word', s: t, e: t + 300, filler: false });
    }
    pauses.push({ s: speechEnd, e: start + slotMs });
  }
  return { pauses, speech, words };
}

export const hourDraft = (): Draft =>
  DraftSchema.parse({
    w: 1920,
    h: 1080,
    d: HOUR_MS,
    t: [{ id: 'v1', tt: 0, m: { name: 'podcast' }, sg: [{ id: 's1', src: 'med_h', s: 0, d: HOUR_MS, in: 0 }] }],
  });

/** Turn dependencies over the hour draft, recording commits. */
export function hourDeps(language: 'en' | 'zh', analysis: MediaAnalysis) {
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
    analyse: async () => ({ result: { ...analysis, language, asr_provider: 'fixture' }, cached: true }),
  };
  return { deps, commits, current: () => draft };
}

/** Runs one chat turn; the text of its final (turnComplete) event. */
export async function finalText(deps: TurnDeps, message: string): Promise<string> {
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
