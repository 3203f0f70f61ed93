/** Captions from the user's script: exact words, timed by the speech, graceful off-script. */
import { describe, expect, it } from 'vitest';
import { planEmbedded } from '../../src/agent/planner/embedded.ts';
import { alignScript } from '../../src/draft/ops/align-script.ts';
import { captionsFromScript } from '../../src/draft/ops/captions-from-script.ts';
import type { OpContext } from '../../src/draft/ops/types.ts';
import type { Draft } from '../../src/draft/schema.ts';
import { call, json, userWithSession } from './helpers.ts';
import { ANALYSIS, baseDraft, MEDIA, run } from './ops-fixtures.ts';

const captionWords = (d: Draft) =>
  d.t.find((t) => t.tt === 7 && t.m.kind === 'caption')!.sg.flatMap((s) => ('text' in s ? (s.m.words ?? []) : []));
const recognised = ANALYSIS.med_a!.words;
const heard = (w: string) => recognised.find((x) => x.w === w)!;

describe('captions from a script', () => {
  it("carry the script's exact words, timed within 150 ms of the recogniser where they agree", () => {
    const script = "Hello, world! This is the test of Carl's party today. Goodbye.";
    const d = run(captionsFromScript, baseDraft(), { script });
    const words = captionWords(d);
    expect(words.map((w) => w.w).join(' ')).toBe(script);
    for (const [mine, theirs] of [
      ['Hello,', 'Hello'],
      ['world!', 'world.'],
      ['This', 'This'],
      ['test', 'test'],
      ['today.', 'today.'],
    ] as const) {
      const w = words.find((x) => x.w === mine)!;
      expect(Math.abs(w.s - heard(theirs).s), mine).toBeLessThanOrEqual(150);
    }
    // "Carl's party" was heard as "captions": both words share that stretch, in order, before "today.".
    const carls = words.find((x) => x.w === "Carl's")!;
    const party = words.find((x) => x.w === 'party')!;
    expect(carls.s).toBeGreaterThanOrEqual(heard('of').e);
    expect(party.s).toBeGreaterThanOrEqual(carls.e);
    expect(party.e).toBeLessThanOrEqual(heard('today.').s);
  });

  it('keeps what was said where the speaker went off-script', () => {
    const words = [
      { w: 'Welcome', s: 0, e: 400, filler: false },
      { w: 'back.', s: 400, e: 800, filler: false },
      { w: 'Sorry', s: 1000, e: 1300, filler: false },
      { w: 'my', s: 1300, e: 1400, filler: false },
      { w: 'cat', s: 1400, e: 1700, filler: false },
      { w: 'jumped', s: 1700, e: 2000, filler: false },
      { w: 'up.', s: 2000, e: 2300, filler: false },
      { w: 'Today', s: 2500, e: 2900, filler: false },
      { w: 'we', s: 2900, e: 3000, filler: false },
      { w: 'cook.', s: 3000, e: 3400, filler: false },
    ];
    const out = alignScript('Welcome back. Today we cook pasta.', words, 'en');
    expect(out.map((w) => w.w).join(' ')).toBe('Welcome back. Sorry my cat jumped up. Today we cook pasta.');
  });

  it('Chinese: script characters over split recognised words, simplified punctuation kept', () => {
    const zh: OpContext = {
      media: MEDIA,
      language: 'zh',
      analysis: {
        med_a: {
          pauses: [],
          speech: [{ s: 0, e: 10_000 }],
          words: [
            { w: '我们', s: 0, e: 400, filler: false },
            { w: '去', s: 400, e: 600, filler: false },
            { w: '那个', s: 700, e: 900, filler: false },
            { w: '程式', s: 1000, e: 1400, filler: false },
            { w: '公园', s: 1500, e: 2000, filler: false },
          ],
        },
      },
    };
    const d = captionsFromScript.apply(
      baseDraft(),
      captionsFromScript.args.parse({ script: '我们去那个城市公园。', language: 'zh' }),
      zh,
    );
    const words = captionWords(d);
    expect(words.map((w) => w.w).join('')).toBe('我们去那个城市公园。');
    expect(words.find((w) => w.w === '城')!.s).toBe(1000);
    expect(d.t.find((t) => t.tt === 7 && t.m.kind === 'caption')!.sg[0]).toMatchObject({
      text: '我们去那个城市公园。',
    });
  });
});

describe('asking for script captions in the chat', () => {
  const plan = (text: string, language = 'en') => planEmbedded({ text, language, draft: baseDraft(), media: MEDIA });
  it('takes everything after the colon as the script, however long, with the style asked for', () => {
    const script = Array.from({ length: 800 }, (_, i) => `Sentence ${i}, with a comma.`).join(' ');
    expect(script.length).toBeGreaterThan(20_000);
    expect(plan(`here is my script, use it for the subtitles: ${script}`)).toEqual({
      calls: [{ name: 'captions_from_script', args: { script } }],
    });
    expect(plan('trim the pauses and add karaoke captions from my script: Hi there. Bye.')).toEqual({
      calls: [
        { name: 'trim_pauses', args: {} },
        { name: 'captions_from_script', args: { style: 'karaoke', script: 'Hi there. Bye.' } },
      ],
    });
    expect(plan('这是我的脚本，用它做字幕：大家好，欢迎来到我的频道。', 'zh')).toEqual({
      calls: [{ name: 'captions_from_script', args: { script: '大家好，欢迎来到我的频道。' } }],
    });
  });

  it('refuses a message over the limit with a 400 that names it, instead of cutting it short', async () => {
    const u = await userWithSession();
    const res = await call('/run_sse', {
      method: 'POST',
      token: u.token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        session_id: u.session_id,
        new_message: { role: 'user', parts: [{ text: 'x'.repeat(100_001) }] },
      }),
    });
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({
      code: 400,
      message: expect.stringMatching(/100001 characters, more than 100000/),
    });
  });
});
