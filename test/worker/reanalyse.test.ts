/** Re-analysis with the session's corrections: the recogniser is asked to listen for them. */
import { describe, expect, it } from 'vitest';
import { analysisKey } from '../../src/agent/analysis.ts';
import type { TurnDeps } from '../../src/agent/deps.ts';
import { embeddedPlanner, planEmbedded } from '../../src/agent/planner/embedded.ts';
import { sseStream } from '../../src/agent/sse.ts';
import { runTurn } from '../../src/agent/turn.ts';
import type { MediaAnalysis } from '../../src/draft/ops/types.ts';
import type { Draft } from '../../src/draft/schema.ts';
import { baseDraft, MEDIA } from './ops-fixtures.ts';

const words = (name: string): MediaAnalysis => ({
  pauses: [],
  speech: [{ s: 0, e: 10_000 }],
  words: [
    { w: 'Thanks', s: 0, e: 400, filler: false },
    { w: `${name},`, s: 400, e: 900, filler: false },
    { w: 'welcome.', s: 900, e: 1500, filler: false },
    { w: 'Bye', s: 5000, e: 5300, filler: false },
    { w: `${name}.`, s: 5300, e: 5900, filler: false },
  ],
});

describe('transcribe it again, listening for the corrections', () => {
  it('re-analyses with the glossary as hotwords and remakes the captions', async () => {
    let draft: Draft = baseDraft();
    const asked: (string | undefined)[] = [];
    const deps: TurnDeps = {
      sessionId: 'ses_re',
      language: 'en',
      planner: embeddedPlanner,
      loadDraft: async () => ({ draft, version: 0 }),
      listMedia: async () => MEDIA.map((m) => ({ ...m, r2_key: `u/x/${m.media_id}`, content_hash: null })),
      commit: async (next) => {
        draft = next;
        return { version: 1 };
      },
      undo: async () => null,
      redo: async () => null,
      balance: async () => ({ available: 1, frozen: 0, total: 1 }),
      // Our own interface (not a binding): a biased recogniser hears the name right.
      analyse: async (_m, opts) => {
        asked.push(opts?.hotwords);
        const name = opts?.hotwords?.includes('Siobhan') ? 'Siobhan' : 'Shivali';
        return { result: { ...words(name), language: 'en', asr_provider: 'fixture' }, cached: false };
      },
    };
    const say = async (text: string) => {
      const { sink, response, close } = sseStream('nemo_agent', {});
      const body = response.text();
      await runTurn(sink, deps, text).finally(close);
      return body;
    };
    const captions = () =>
      draft.t
        .find((t) => t.tt === 7 && t.m.kind === 'caption')!
        .sg.map((s) => ('text' in s ? s.text : ''))
        .join(' | ');
    await say('add karaoke captions');
    await say("change 'Shivali' to 'Siobhan'");
    expect(captions()).toBe('Thanks Siobhan, welcome. | Bye Siobhan.');
    const said = await say('transcribe it again');
    expect(said).toContain('Listened again for Siobhan; the captions were made again.');
    expect(asked.at(-1)).toBe('Siobhan');
    expect(captions()).toBe('Thanks Siobhan, welcome. | Bye Siobhan.');
    expect(draft.t.find((t) => t.tt === 7 && t.m.kind === 'caption')!.m.style).toBe('karaoke');
  });

  it('is understood, says when there is nothing to listen for, and keys the cache by the bias', () => {
    const plan = (text: string, language = 'en') => planEmbedded({ text, language, draft: baseDraft(), media: MEDIA });
    expect(plan('transcribe it again')).toEqual({ calls: [{ name: 'reanalyse', args: {} }] });
    expect(plan('重新识别一下', 'zh')).toEqual({ calls: [{ name: 'reanalyse', args: {} }] });
    const m = { media_id: 'med_x', name: 'a.mp4', r2_key: 'u/x/a.mp4', content_hash: 'abcdef0123' };
    expect(analysisKey(m, 'en')).toBe('u/x/analysis/abcdef0123.en.v2.json');
    expect(analysisKey(m, 'en', 'Siobhan')).toMatch(/^u\/x\/analysis\/abcdef0123\.en\.v2\.hw-[0-9a-f]+\.json$/);
    expect(analysisKey(m, 'en', 'Siobhan')).not.toBe(analysisKey(m, 'en', 'Carl'));
  });
});
