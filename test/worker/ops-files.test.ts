/** One file at a time: focus the timeline on a file, move to the next, combine them again. */
import { describe, expect, it } from 'vitest';
import type { TurnDeps } from '../../src/agent/deps.ts';
import { embeddedPlanner, planEmbedded } from '../../src/agent/planner/embedded.ts';
import { sseStream } from '../../src/agent/sse.ts';
import { runTurn } from '../../src/agent/turn.ts';
import type { Draft } from '../../src/draft/schema.ts';
import { ANALYSIS, baseDraft, emptyDraft, MEDIA } from './ops-fixtures.ts';

const sources = (d: Draft) => d.t.find((t) => t.tt === 0)?.sg.map((s) => s.src) ?? [];

function session(start: Draft) {
  let draft = start;
  let version = 0;
  const deps: TurnDeps = {
    sessionId: 'ses_files',
    language: 'en',
    planner: embeddedPlanner,
    loadDraft: async () => ({ draft, version }),
    listMedia: async () => MEDIA.map((m) => ({ ...m, r2_key: `u/x/${m.media_id}`, content_hash: null })),
    commit: async (next) => {
      draft = next;
      return { version: ++version };
    },
    undo: async () => null,
    redo: async () => null,
    balance: async () => ({ available: 1, frozen: 0, total: 1 }),
    analyse: async (m) => ({
      result: { ...ANALYSIS[m.media_id]!, language: 'en', asr_provider: 'fixture' },
      cached: true,
    }),
  };
  const say = async (text: string, language = 'en') => {
    const { sink, response, close } = sseStream('nemo_agent', {});
    const body = response.text();
    await runTurn(sink, { ...deps, language }, text).finally(close);
    return body;
  };
  return { say, draft: () => draft };
}

describe('one file at a time', () => {
  it('"only the first clip, trim the pauses" edits that clip alone, not every upload', async () => {
    const s = session(emptyDraft());
    const said = await s.say('only the first clip, trim the pauses');
    expect(sources(s.draft())).toEqual(['med_a', 'med_a', 'med_a']); // one clip, split by the trims
    expect(said).toContain('started the timeline over with only talk.mp4');
    expect(said).not.toMatch(/placed 3 uploaded clip/);
  });

  it('"next file" moves on from its source; "put them all together" combines again', async () => {
    const s = session(emptyDraft());
    await s.say('work on talk.mp4 on its own');
    expect(sources(s.draft())).toEqual(['med_a']);
    await s.say('next file');
    expect(sources(s.draft())).toEqual(['med_b']);
    await s.say('now put them all together');
    expect(sources(s.draft())).toEqual(['med_a', 'med_b', 'med_c']);
  });

  it('understands the Chinese phrasing and asks which file when it cannot tell', () => {
    const plan = (text: string, language = 'en') => planEmbedded({ text, language, draft: baseDraft(), media: MEDIA });
    expect(plan('第二个视频单独处理', 'zh')).toEqual({
      calls: [{ name: 'use_media', args: { media_ids: ['med_b'] } }],
    });
    expect(plan('把它们合在一起', 'zh').calls[0]).toEqual({
      name: 'use_media',
      args: { media_ids: ['med_a', 'med_b', 'med_c'] },
    });
    expect(plan('edit just the photo clip on its own')).toMatchObject({ clarify: expect.stringMatching(/Which file/) });
  });
});
