/** Editing by the words: cut and restore word runs, caption corrections, and the chat phrasings for them. */
import { describe, expect, it } from 'vitest';
import { planEmbedded } from '../../src/agent/planner/embedded.ts';
import { addCaptions } from '../../src/draft/ops/add-captions.ts';
import { correctCaptions, setCaptionText } from '../../src/draft/ops/correct-captions.ts';
import { cutWords } from '../../src/draft/ops/cut-words.ts';
import { removeFillers } from '../../src/draft/ops/remove-fillers.ts';
import { restoreWords } from '../../src/draft/ops/restore-words.ts';
import { trimPauses } from '../../src/draft/ops/trim-pauses.ts';
import { type OpContext, OpError } from '../../src/draft/ops/types.ts';
import { locateWords } from '../../src/draft/ops/word-match.ts';
import { type Draft, DraftSchema } from '../../src/draft/schema.ts';
import { baseDraft, ctx, MEDIA, run } from './ops-fixtures.ts';

const kept = (d: Draft, c: OpContext = ctx()) =>
  locateWords(d, c)
    .filter((w) => w.at !== null)
    .map((w) => w.w);
const captionTexts = (d: Draft) =>
  d.t.find((t) => t.tt === 7 && t.m.kind === 'caption')!.sg.map((s) => ('text' in s ? s.text : ''));

describe('cut_words', () => {
  it('cuts from one phrase to another, inclusive, between words and with pause-trim margins', () => {
    const out = run(cutWords, baseDraft(), { from_text: 'This', to_text: 'test' });
    expect(kept(out)).toEqual(['Hello', 'um', 'world.', 'uh', 'of', 'captions', 'today.', 'Bye.']);
    // "world." ends at 1900 and "uh" starts at 5100: the cut is [2050, 5000), 150 ms and 100 ms kept.
    expect(out.d).toBe(10_000 - 2950);
    const video = out.t.find((t) => t.tt === 0)!.sg;
    expect(video.map((s) => [s.s, s.d, s.in])).toEqual([
      [0, 2050, 0],
      [2050, 5000, 5000],
    ]);
  });

  it('cuts by transcript ids, and restore_words brings exactly that gap back', () => {
    const cut = run(cutWords, baseDraft(), { from_id: 'med_a:4', to_id: 'med_a:5' }); // "is a"
    expect(kept(cut)).not.toContain('is');
    expect(kept(cut)).not.toContain('a');
    expect(kept(cut)).toContain('This');
    const restored = run(restoreWords, cut, { word_ids: ['med_a:4'] });
    expect(kept(restored)).toEqual(kept(baseDraft()));
    expect(restored.d).toBe(10_000);
    expect(restored.t.find((t) => t.tt === 0)!.sg).toHaveLength(1);
  });

  it('restores words cut by trim_pauses neighbours too, and re-captions them', () => {
    let d = run(addCaptions, baseDraft(), {});
    d = run(cutWords, d, { from_text: 'captions', to_text: 'today.' });
    expect(captionTexts(d).join(' ')).not.toMatch(/captions|today/);
    d = run(restoreWords, d, { word_ids: ['med_a:9', 'med_a:10'] });
    expect(captionTexts(d).join(' ')).toMatch(/captions today\./);
  });

  it('says clearly when a phrase is not in the remaining speech, or an id is unknown', () => {
    const d = run(trimPauses, baseDraft(), {});
    expect(() => cutWords.apply(d, cutWords.args.parse({ from_text: 'banana' }), ctx())).toThrow(/"banana" is not in/);
    expect(() => cutWords.apply(d, cutWords.args.parse({ from_id: 'med_a:99' }), ctx())).toThrow(OpError);
    expect(() => restoreWords.apply(d, restoreWords.args.parse({ word_ids: ['med_a:0'] }), ctx())).toThrow(/not cut/);
  });
});

describe('caption corrections', () => {
  it('fixes the captions, keeps punctuation, and remembers the fix for captions made later', () => {
    let d = run(addCaptions, baseDraft(), {});
    d = run(correctCaptions, d, { from: 'captions today', to: "Carl's party" });
    expect(captionTexts(d).join(' ')).toContain("Carl's party.");
    expect(d.m?.glossary).toEqual([{ from: 'captions today', to: "Carl's party" }]);
    d = run(addCaptions, d, { style: 'karaoke' }); // made again: the correction holds
    expect(captionTexts(d).join(' ')).toContain("Carl's party.");
    const words = d.t
      .find((t) => t.tt === 7 && t.m.kind === 'caption')!
      .sg.flatMap((s) => ('text' in s ? (s.m.words ?? []) : []));
    expect(words.find((w) => w.w === "Carl's")).toBeUndefined(); // one corrected word spans both
    expect(words.find((w) => w.w === "Carl's party.")).toMatchObject({ s: 6300, e: 7900 });
  });

  it('refuses a correction the captions do not contain; set_caption_text replaces one caption', () => {
    const d = run(addCaptions, baseDraft(), {});
    expect(() => correctCaptions.apply(d, correctCaptions.args.parse({ from: 'zebra', to: 'x' }), ctx())).toThrow(
      /do not contain "zebra"/,
    );
    const first = d.t.find((t) => t.tt === 7 && t.m.kind === 'caption')!.sg[0]!;
    const out = run(setCaptionText, d, { segment_id: first.id, text: 'Hi there, world!' });
    expect(captionTexts(out)[0]).toBe('Hi there, world!');
  });

  it('Chinese: corrects across split characters, and removes a word the recogniser split', () => {
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
            { w: '那', s: 700, e: 800, filler: false },
            { w: '个', s: 800, e: 900, filler: false },
            { w: '程', s: 1000, e: 1200, filler: false },
            { w: '式', s: 1200, e: 1400, filler: false },
            { w: '公园。', s: 1500, e: 2000, filler: false },
          ],
        },
      },
    };
    let d = addCaptions.apply(baseDraft(), addCaptions.args.parse({ language: 'zh' }), zh);
    d = correctCaptions.apply(d, correctCaptions.args.parse({ from: '程式', to: '城市' }), zh);
    expect(captionTexts(d)[0]).toBe('我们去那个城市公园。');
    d = removeFillers.apply(d, removeFillers.args.parse({ extra_words: ['那个'] }), zh);
    expect(d.d).toBe(10_000 - 260); // 700-900 plus 30 ms padding each side
    // The cut splits the caption: one each side, neither showing the removed word.
    expect(captionTexts(d).slice(0, 2)).toEqual(['我们去', '城市公园。']);
  });
});

describe('chat phrasings for word edits', () => {
  const draft = DraftSchema.parse(baseDraft());
  const plan = (text: string, language = 'en') => planEmbedded({ text, language, draft, media: MEDIA });
  const calls = (text: string, language?: string) => {
    const p = plan(text, language);
    return 'calls' in p ? p.calls : p;
  };
  it.each([
    [
      "cut from 'so basically' to 'anyway'",
      [{ name: 'cut_words', args: { from_text: 'so basically', to_text: 'anyway' } }],
    ],
    [
      'remove everything from "This" through "test"',
      [{ name: 'cut_words', args: { from_text: 'This', to_text: 'test' } }],
    ],
    ["drop the sentence 'we went to the beach'", [{ name: 'cut_words', args: { from_text: 'we went to the beach' } }]],
    [
      "in the captions, change 'cards' to 'Carl's'",
      [{ name: 'correct_captions', args: { from: 'cards', to: "Carl's" } }],
    ],
    ["'cards' should be 'Carl's'", [{ name: 'correct_captions', args: { from: 'cards', to: "Carl's" } }]],
    ["write 'Siobhan' instead of 'shivon'", [{ name: 'correct_captions', args: { from: 'shivon', to: 'Siobhan' } }]],
    ["remove the word 'actually' everywhere", [{ name: 'remove_fillers', args: { extra_words: ['actually'] } }]],
  ])('%s', (text, expected) => {
    expect(calls(text)).toEqual(expected);
  });
  it.each([
    ["字幕里的'程式'改成'城市'", [{ name: 'correct_captions', args: { from: '程式', to: '城市' } }]],
    ["把'那个'都删掉", [{ name: 'remove_fillers', args: { extra_words: ['那个'] } }]],
    ["从'所以说'剪到'好了'", [{ name: 'cut_words', args: { from_text: '所以说', to_text: '好了' } }]],
  ])('%s', (text, expected) => {
    expect(calls(text, 'zh')).toEqual(expected);
  });
});

describe('"the name is spelled Siobhan"', () => {
  const heardName: OpContext = {
    ...ctx(),
    analysis: {
      med_a: {
        pauses: [],
        speech: [{ s: 0, e: 10_000 }],
        words: [
          { w: 'Thanks', s: 0, e: 400, filler: false },
          { w: 'shivon,', s: 400, e: 900, filler: false },
          { w: 'for', s: 900, e: 1100, filler: false },
          { w: 'coming.', s: 1100, e: 1600, filler: false },
        ],
      },
    },
  };
  it('corrects the word that sounds most like the spelling, and remembers it', async () => {
    const { respell, soundKey } = await import('../../src/draft/ops/respell.ts');
    expect(soundKey('Siobhan')).toBe(soundKey('shivon'));
    let d = addCaptions.apply(baseDraft(), addCaptions.args.parse({}), heardName);
    d = respell.apply(d, respell.args.parse({ spelling: 'Siobhan' }), heardName);
    expect(captionTexts(d)[0]).toBe('Thanks Siobhan, for coming.');
    expect(d.m?.glossary).toEqual([{ from: 'shivon', to: 'Siobhan' }]);
    expect(() => respell.apply(d, respell.args.parse({ spelling: 'Xerxes' }), heardName)).toThrow(
      /No word in the speech sounds like "Xerxes"/,
    );
  });
  it('is understood in the chat without quotes', () => {
    const plan = planEmbedded({
      text: 'the name is spelled Siobhan',
      language: 'en',
      draft: baseDraft(),
      media: MEDIA,
    });
    expect(plan).toEqual({ calls: [{ name: 'respell', args: { spelling: 'Siobhan' } }] });
  });
});
