/**
 * Captions stay in sync through every edit: after trims, cuts, speed changes and reorders, each
 * caption lies inside one clip (never across a cut), shows only words that remain, and every word
 * sits where its speech plays on the output (within 100 ms of the analysed source time).
 */
import { describe, expect, it } from 'vitest';
import { addCaptions } from '../../src/draft/ops/add-captions.ts';
import { reorder } from '../../src/draft/ops/clips.ts';
import { cutRange } from '../../src/draft/ops/cut-range.ts';
import { removeFillers } from '../../src/draft/ops/remove-fillers.ts';
import { setSpeed } from '../../src/draft/ops/set-speed.ts';
import { trimPauses } from '../../src/draft/ops/trim-pauses.ts';
import type { Draft } from '../../src/draft/schema.ts';
import { ANALYSIS, baseDraft, run } from './ops-fixtures.ts';

const SOURCE_WORDS = ANALYSIS.med_a!.words;

/** Checks every caption against the main track; returns the words shown, in timeline order. */
function checkCaptions(draft: Draft): string[] {
  const clips = draft.t.find((t) => t.tt === 0)!.sg;
  const captions = draft.t.find((t) => t.tt === 7 && t.m.kind === 'caption');
  expect(captions, 'caption track').toBeDefined();
  const shown: { w: string; s: number }[] = [];
  for (const seg of captions!.sg) {
    if (!('text' in seg)) continue;
    const clip = clips.find((c) => seg.s >= c.s && seg.s + seg.d <= c.s + c.d);
    expect(clip, `caption "${seg.text}" at ${seg.s}+${seg.d} crosses a clip boundary`).toBeDefined();
    const speed = clip!.m.speed ?? 1;
    for (const w of seg.m.words ?? []) {
      expect(w.s).toBeGreaterThanOrEqual(seg.s);
      expect(w.e).toBeLessThanOrEqual(seg.s + seg.d);
      expect(seg.text.replace(/\n/g, ' ')).toContain(w.w);
      // Back to source time through the clip the caption is in: the speech of this word is there.
      const srcS = clip!.in + (w.s - clip!.s) * speed;
      const source = SOURCE_WORDS.filter((x) => x.w === w.w).sort(
        (a, b) => Math.abs(a.s - srcS) - Math.abs(b.s - srcS),
      )[0];
      expect(source, `"${w.w}" is not a spoken word`).toBeDefined();
      expect(
        Math.abs(source!.s - srcS),
        `"${w.w}" shown at source ${srcS}, spoken at ${source!.s}`,
      ).toBeLessThanOrEqual(100);
      shown.push({ w: w.w, s: w.s });
    }
  }
  return shown.sort((a, b) => a.s - b.s).map((x) => x.w);
}

const ALL = ['Hello', 'world.', 'This', 'is', 'a', 'test', 'of', 'captions', 'today.', 'Bye.'];

describe('captions in sync through edits', () => {
  it('captions first, then trim, cut, speed and reorder', () => {
    let d = run(addCaptions, baseDraft(), {});
    expect(checkCaptions(d)).toEqual(ALL);
    d = run(trimPauses, d, {});
    expect(checkCaptions(d)).toEqual(ALL);
    d = run(removeFillers, d, {});
    expect(checkCaptions(d)).toEqual(ALL);
    // Cut "is a" (source 3950-4450 lies after the first cut: find it on the timeline through the clip).
    const clip = d.t.find((t) => t.tt === 0)!.sg.find((c) => c.in <= 4000 && c.in + c.d > 4000)!;
    d = run(cutRange, d, { start_ms: clip.s + (3950 - clip.in), end_ms: clip.s + (4450 - clip.in) });
    expect(checkCaptions(d)).toEqual(ALL.filter((w) => w !== 'is' && w !== 'a'));
    d = run(setSpeed, d, { factor: 1.5 });
    expect(checkCaptions(d)).toEqual(ALL.filter((w) => w !== 'is' && w !== 'a'));
    const before = checkCaptions(d);
    d = run(reorder, d, { order: [2, 1] });
    const after = checkCaptions(d);
    expect([...after].sort()).toEqual([...before].sort());
    expect(after).not.toEqual(before); // the second clip's words now come first
  });

  it('trim first, then captions: no caption spans a cut, and none outlives its clip', () => {
    let d = run(trimPauses, baseDraft(), { min_silence_ms: 250 });
    d = run(addCaptions, d, {});
    expect(checkCaptions(d)).toEqual(ALL);
    d = run(setSpeed, d, { factor: 0.75 });
    expect(checkCaptions(d)).toEqual(ALL);
  });

  it('a cut inside a caption splits it: each half shows only its own words', () => {
    let d = run(addCaptions, baseDraft(), {});
    const cap = () => d.t.find((t) => t.tt === 7 && t.m.kind === 'caption')!;
    const spanning = cap().sg.find((s) => 'text' in s && s.text.includes('This') && s.text.includes('test'))!;
    expect(spanning).toBeDefined();
    // A cut over the end of "is" (4000-4200) and the start of "a" (4300-4400): each word goes
    // with the side its middle is on, so both stay, on either side of the cut.
    d = run(cutRange, d, { start_ms: 4150, end_ms: 4350 });
    const pieces = cap().sg.filter((s) => 'text' in s && (s.text.includes('This') || s.text.includes('test')));
    expect(pieces.map((s) => ('text' in s ? s.text : ''))).toEqual(['This is', 'a test of captions today.']);
    expect(pieces[0]!.s + pieces[0]!.d).toBe(4150);
    expect(pieces[1]!.s).toBe(4150);
    checkCaptions(d);
  });
});

describe('Chinese caption layout', () => {
  it('joins Chinese words without spaces, a space only between two Latin words, 21 characters a line', async () => {
    const { joinWords, layoutLines, displayWidth } = await import('../../src/draft/ops/captions-text.ts');
    expect(joinWords(['我们', '用', 'Python', '写', '一个', 'demo', '。'], true)).toBe('我们用Python写一个demo。');
    expect(joinWords(['Hello', 'world', '你好'], true)).toBe('Hello world你好');
    expect(displayWidth('你好ab')).toBe(6);
    const long = Array.from({ length: 30 }, (_, i) => '一二三四五六七八九十'[i % 10]!);
    const laid = layoutLines(long, true)!;
    expect(laid.split('\n').map((l) => l.length)).toEqual([21, 9]);
    expect(layoutLines([...long, ...long], true)).toBeNull(); // 60 characters do not fit two lines
  });
});
