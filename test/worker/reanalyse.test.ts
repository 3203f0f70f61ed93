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
    const made = new Set<string>();
    const asked: ({ hotwords?: string; prefer?: string } | undefined)[] = [];
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
        // Progress texts for long files: a callback every analysis gets, not part of what is asked.
        const { onProgress, ...rest } = opts ?? {};
        expect(typeof onProgress).toBe('function');
        asked.push(rest);
        // Only an analysis made with the bias (or that one, preferred later) heard the name right.
        const name = (opts?.hotwords ?? (made.has(opts?.prefer ?? '') ? opts?.prefer : ''))?.includes('Siobhan')
          ? 'Siobhan'
          : 'Shivali';
        if (opts?.hotwords) made.add(opts.hotwords);
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
    expect(asked.at(-1)).toEqual({ hotwords: 'Siobhan' });
    expect(captions()).toBe('Thanks Siobhan, welcome. | Bye Siobhan.');
    expect(draft.t.find((t) => t.tt === 7 && t.m.kind === 'caption')!.m.style).toBe('karaoke');
    // A later turn keeps the words heard with the corrections, not the first analysis.
    await say('add bold captions');
    expect(asked.at(-1)).toEqual({ prefer: 'Siobhan' });
    expect(captions()).toBe('Thanks Siobhan, welcome. | Bye Siobhan.');
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

describe('analyseMedia prefers an analysis made with the corrections', () => {
  it('returns the biased analysis when one is cached, the plain one otherwise', async () => {
    const { env } = await import('cloudflare:test');
    const { analyseMedia } = await import('../../src/agent/analysis.ts');
    const m = { media_id: 'med_p', name: 'p.mp4', r2_key: 'u/p/p.mp4', content_hash: 'prefer0123' };
    const result = (w: string) => ({
      content_hash: 'prefer0123',
      duration_ms: 1000,
      pauses: [],
      speech: [],
      words: [{ w, s: 0, e: 500, conf: 1, filler: false }],
      language: 'en',
      asr_provider: 'fixture',
      cached: false,
    });
    await env.MEDIA.put(analysisKey(m, 'en'), JSON.stringify(result('Shivali')));
    const origin = 'http://127.0.0.1:8787';
    const plain = await analyseMedia({ ...env, ENGINE_URL: '' }, origin, m, 'en', undefined, undefined, 'Siobhan');
    expect(plain.result.words[0]!.w).toBe('Shivali');
    await env.MEDIA.put(analysisKey(m, 'en', 'Siobhan'), JSON.stringify(result('Siobhan')));
    const biased = await analyseMedia({ ...env, ENGINE_URL: '' }, origin, m, 'en', undefined, undefined, 'Siobhan');
    expect(biased.result.words[0]!.w).toBe('Siobhan');
  });
});
