/** Retakes and dry runs: the last take is kept; "what would you cut?" changes nothing; "ok, do it" applies exactly that. */
import { describe, expect, it } from 'vitest';
import type { TurnDeps } from '../../src/agent/deps.ts';
import type { Proposal } from '../../src/agent/dry-run.ts';
import { embeddedPlanner, planEmbedded } from '../../src/agent/planner/embedded.ts';
import { sseStream } from '../../src/agent/sse.ts';
import { runTurn } from '../../src/agent/turn.ts';
import { removeRetakes } from '../../src/draft/ops/remove-retakes.ts';
import type { MediaAnalysis, OpContext } from '../../src/draft/ops/types.ts';
import { locateWords } from '../../src/draft/ops/word-match.ts';
import type { Draft } from '../../src/draft/schema.ts';
import { baseDraft, MEDIA } from './ops-fixtures.ts';

const w = (word: string, s: number, e: number) => ({ w: word, s, e, filler: false });
/** "So today I want to— | So today I want to show you my kitchen. | It is small." */
const RETAKE: MediaAnalysis = {
  pauses: [{ s: 1400, e: 2200 }],
  speech: [],
  words: [
    w('So', 0, 200),
    w('today', 200, 500),
    w('I', 500, 600),
    w('want', 600, 900),
    w('to', 900, 1400),
    w('So', 2200, 2400),
    w('today', 2400, 2700),
    w('I', 2700, 2800),
    w('want', 2800, 3100),
    w('to', 3100, 3200),
    w('show', 3200, 3500),
    w('you', 3500, 3700),
    w('my', 3700, 3900),
    w('kitchen.', 3900, 4600),
    w('It', 5200, 5400),
    w('is', 5400, 5600),
    w('small.', 5600, 6200),
  ],
};
const ctx = (analysis: MediaAnalysis = RETAKE, language = 'en'): OpContext => ({
  media: MEDIA,
  analysis: { med_a: analysis },
  language,
});
const kept = (d: Draft, c = ctx()) =>
  locateWords(d, c)
    .filter((x) => x.at !== null)
    .map((x) => x.w)
    .join(' ');

describe('remove_retakes', () => {
  it('keeps the last take and cuts the earlier attempt, nothing else', () => {
    const d = removeRetakes.apply(baseDraft(), removeRetakes.args.parse({}), ctx());
    expect(kept(d)).toBe('So today I want to show you my kitchen. It is small.');
    // The cut ends 100 ms before the kept take starts (2200): pause-trim margins.
    expect(d.d).toBe(10_000 - 2100);
  });

  it('Chinese: a repeated sentence keeps its last take', () => {
    const zh: MediaAnalysis = {
      pauses: [],
      speech: [],
      words: [
        w('今天', 0, 400),
        w('我们', 400, 700),
        w('来', 700, 900),
        w('今天', 1700, 2100),
        w('我们', 2100, 2400),
        w('来', 2400, 2600),
        w('做饭。', 2600, 3200),
      ],
    };
    const d = removeRetakes.apply(baseDraft(), removeRetakes.args.parse({}), ctx(zh, 'zh'));
    expect(kept(d, ctx(zh, 'zh'))).toBe('今天 我们 来 做饭。');
  });

  it('says so when there is no retake', () => {
    const plain: MediaAnalysis = {
      pauses: [],
      speech: [],
      words: [w('Hello', 0, 400), w('there.', 400, 900), w('Bye.', 2000, 2400)],
    };
    expect(() => removeRetakes.apply(baseDraft(), removeRetakes.args.parse({}), ctx(plain))).toThrow(
      /No repeated takes/,
    );
  });
});

describe('planning retakes and dry runs', () => {
  const plan = (text: string, extra: Partial<Parameters<typeof planEmbedded>[0]> = {}, language = 'en') =>
    planEmbedded({ text, language, draft: baseDraft(), media: MEDIA, ...extra });
  it.each([
    ['remove the retakes', 'en'],
    ['keep only my last take', 'en'],
    ['cut the false starts', 'en'],
    ['去掉重复的部分', 'zh'],
  ])('%s', (text, language) => {
    expect(plan(text, {}, language)).toEqual({ calls: [{ name: 'remove_retakes', args: {} }] });
  });
  it('marks dry runs, defaulting a bare question to the usual cuts', () => {
    expect(plan('which takes would you drop?')).toEqual({
      calls: [{ name: 'remove_retakes', args: {} }],
      dryRun: true,
    });
    expect(plan('what would you cut?')).toEqual({
      calls: [
        { name: 'trim_pauses', args: {} },
        { name: 'remove_fillers', args: {} },
      ],
      dryRun: true,
    });
    expect(plan('先看看会剪掉什么', {}, 'zh')).toMatchObject({ dryRun: true });
  });
  it('"ok, do it" applies a waiting proposal, and only then', () => {
    const proposal = { calls: [{ name: 'remove_retakes', args: {} }], version: 3 };
    expect(plan('ok, do it', { proposal })).toEqual({ calls: proposal.calls, confirms: 3 });
    expect(plan('好的，执行', { proposal }, 'zh')).toEqual({ calls: proposal.calls, confirms: 3 });
    expect(plan('ok, do it')).toMatchObject({ clarify: expect.any(String) });
  });
});

describe('a dry run in a turn', () => {
  it('lists what would go, changes nothing, then "ok, do it" applies exactly that', async () => {
    let draft = baseDraft();
    let version = 0;
    let proposal: Proposal | null = null;
    const commits: string[] = [];
    const deps: TurnDeps = {
      sessionId: 'ses_dry',
      language: 'en',
      planner: embeddedPlanner,
      loadDraft: async () => ({ draft, version }),
      listMedia: async () => MEDIA.map((m) => ({ ...m, r2_key: `u/x/${m.media_id}`, content_hash: null })),
      commit: async (next, op) => {
        draft = next;
        commits.push(op);
        return { version: ++version };
      },
      undo: async () => null,
      redo: async () => null,
      balance: async () => ({ available: 1, frozen: 0, total: 1 }),
      analyse: async () => ({ result: { ...RETAKE, language: 'en', asr_provider: 'fixture' }, cached: true }),
      loadProposal: async () => proposal,
      saveProposal: async (p) => {
        proposal = p;
      },
    };
    const say = async (text: string) => {
      const { sink, response, close } = sseStream('nemo_agent', {});
      const body = response.text();
      await runTurn(sink, deps, text).finally(close);
      return body;
    };
    const asked = await say('which takes would you drop?');
    expect(asked).toContain('Nothing is changed yet.');
    expect(asked).toContain('“So today I want to” (0:00.0)');
    expect(commits).toEqual([]);
    expect(proposal).toEqual({ calls: [{ name: 'remove_retakes', args: {} }], version: 0 });
    await say('ok, do it');
    expect(commits).toEqual(['remove_retakes']);
    expect(proposal).toBeNull();
    expect(kept(draft)).toBe('So today I want to show you my kitchen. It is small.');
  });
});
