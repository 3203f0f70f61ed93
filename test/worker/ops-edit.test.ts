import { describe, expect, it } from 'vitest';
import { addCaptions } from '../../src/draft/ops/add-captions.ts';
import { addMusic } from '../../src/draft/ops/add-music.ts';
import { addText, setTitle } from '../../src/draft/ops/add-text.ts';
import { cutRange, trimTo } from '../../src/draft/ops/cut-range.ts';
import { removeFillers } from '../../src/draft/ops/remove-fillers.ts';
import { trimPauses } from '../../src/draft/ops/trim-pauses.ts';
import { OpError } from '../../src/draft/ops/types.ts';
import type { Draft } from '../../src/draft/schema.ts';
import { baseDraft, ctx, run } from './ops-fixtures.ts';

const video = (d: Draft) => d.t.find((t) => t.tt === 0)!;

describe('trim_pauses', () => {
  it('splits the clip into the speech pieces and closes the gaps', () => {
    const input = baseDraft();
    const out = run(trimPauses, input, { min_silence_ms: 500, margin_before_ms: 0, margin_after_ms: 0 });
    // Pauses 2000-3500 and 8000-9000 go; the 300 ms pause stays (below min silence).
    expect(video(out).sg.map((s) => [s.s, s.d, s.in])).toEqual([
      [0, 2000, 0],
      [2000, 4500, 3500],
      [6500, 1000, 9000],
    ]);
    expect(out.d).toBe(7500);
    expect(input.d).toBe(10_000); // input untouched
  });

  it('keeps margins around speech and shrinks the title overlapping the cut', () => {
    const out = run(trimPauses, baseDraft(), { min_silence_ms: 1000, margin_before_ms: 100, margin_after_ms: 200 });
    const segs = video(out).sg;
    expect(segs[0]).toMatchObject({ s: 0, d: 2200, in: 0 });
    expect(segs[1]).toMatchObject({ s: 2200, in: 3400 });
    expect(out.d).toBe(10_000 - 1200 - 700);
    const title = out.t.find((t) => t.id === 'x1')!.sg[0]!;
    expect(title).toMatchObject({ s: 0, d: 2200 });
  });

  it('respects clip speed when mapping pauses', () => {
    const draft = baseDraft();
    video(draft).sg[0] = { ...video(draft).sg[0]!, d: 5000, m: { fit: 'cover', speed: 2 } };
    draft.t = [video(draft)];
    const out = run(trimPauses, draft, { min_silence_ms: 1000, margin_before_ms: 0, margin_after_ms: 0 });
    // Source pause 2000-3500 is timeline 1000-1750; 8000-9000 is 4000-4500.
    expect(video(out).sg.map((s) => [s.s, s.d, s.in])).toEqual([
      [0, 1000, 0],
      [1000, 2250, 3500],
      [3250, 500, 9000],
    ]);
  });

  it('fails clearly when nothing qualifies', () => {
    expect(() => trimPauses.apply(baseDraft(), trimPauses.args.parse({ min_silence_ms: 5000 }), ctx())).toThrow(
      OpError,
    );
  });

  it('keeps music continuous and shortens it to the new length', () => {
    const withMusic = run(addMusic, baseDraft(), { media_id: 'med_m' });
    const out = run(trimPauses, withMusic, { min_silence_ms: 500, margin_before_ms: 0, margin_after_ms: 0 });
    const music = out.t.find((t) => t.m.kind === 'music')!;
    expect(music.sg).toHaveLength(1);
    expect(music.sg[0]).toMatchObject({ s: 0, d: 7500 });
  });
});

describe('remove_fillers', () => {
  it('cuts the filler words only', () => {
    const out = run(removeFillers, baseDraft(), { padding_ms: 0 });
    expect(out.d).toBe(10_000 - 300 - 400);
    expect(video(out).sg).toHaveLength(3);
  });
  it('cuts extra words on request', () => {
    const out = run(removeFillers, baseDraft(), { padding_ms: 0, extra_words: ['test'] });
    expect(out.d).toBe(10_000 - 300 - 400 - 500);
  });
});

describe('add_captions', () => {
  it('builds a caption track from the words with highlighting timings', () => {
    const out = run(addCaptions, baseDraft(), { style: 'karaoke' });
    const track = out.t.find((t) => t.m.kind === 'caption')!;
    expect(track.tt).toBe(7);
    expect(track.m).toMatchObject({ language: 'en', style: 'karaoke' });
    const texts = track.sg.map((s) => ('text' in s ? s.text : ''));
    expect(texts).toEqual(['Hello world.', 'This is a test of captions today.', 'Bye.']);
    const first = track.sg[0]!;
    if (!('text' in first)) throw new Error('not text');
    expect(first.m.words?.map((w) => w.w)).toEqual(['Hello', 'world.']);
    expect(first.m.pos).toBe('bottom');
  });

  it('maps words through earlier cuts and keeps lines within 42 chars x 2', () => {
    const trimmed = run(trimPauses, baseDraft(), { min_silence_ms: 500, margin_before_ms: 0, margin_after_ms: 0 });
    const out = run(addCaptions, trimmed, {});
    const segs = out.t.find((t) => t.m.kind === 'caption')!.sg;
    const bye = segs.at(-1)!;
    // "Bye." was at 9100 source; after removing 1500 + 1000 ms it plays at 6600.
    expect(bye.s).toBe(6600);
    for (const s of segs) {
      if (!('text' in s)) continue;
      const lines = s.text.split('\n');
      expect(lines.length).toBeLessThanOrEqual(2);
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(42);
    }
  });

  it('wraps a long sentence into several captions', () => {
    const words = Array.from({ length: 40 }, (_, i) => ({
      w: `word${i}`,
      s: i * 200,
      e: i * 200 + 150,
      filler: false,
    }));
    const out = addCaptions.apply(
      baseDraft(),
      addCaptions.args.parse({}),
      ctx({ analysis: { med_a: { pauses: [], speech: [], words } } }),
    );
    const segs = out.t.find((t) => t.m.kind === 'caption')!.sg;
    expect(segs.length).toBeGreaterThan(2);
    for (const s of segs) if ('text' in s) for (const l of s.text.split('\n')) expect(l.length).toBeLessThanOrEqual(42);
  });

  it('splits slow speech so no caption stays up much longer than 6 s', () => {
    const words = Array.from({ length: 12 }, (_, i) => ({ w: 'so', s: i * 750, e: i * 750 + 700, filler: false }));
    const out = addCaptions.apply(
      baseDraft(),
      addCaptions.args.parse({}),
      ctx({ analysis: { med_a: { pauses: [], speech: [], words } } }),
    );
    const segs = out.t.find((t) => t.m.kind === 'caption')!.sg;
    expect(segs.length).toBe(2);
    for (const s of segs) expect(s.d).toBeLessThanOrEqual(6400);
  });

  it('rebuilds caption text when a later cut removes words, split at the cut', () => {
    const captioned = run(addCaptions, baseDraft(), {});
    const out = run(cutRange, captioned, { start_ms: 4000, end_ms: 4250 });
    const texts = out.t.find((t) => t.m.kind === 'caption')!.sg.map((s) => ('text' in s ? s.text : ''));
    // "is" is gone; the caption is now two, one each side of the cut.
    expect(texts.slice(1, 3)).toEqual(['This', 'a test of captions today.']);
  });

  it('refuses when there is no speech', () => {
    expect(() => addCaptions.apply(baseDraft(), addCaptions.args.parse({}), ctx({ analysis: {} }))).toThrow(
      /No spoken words/,
    );
  });
});

describe('text and title', () => {
  it('set_title replaces the title', () => {
    const out = run(setTitle, baseDraft(), { text: 'Urban Dreams', duration_ms: 2000, pos: 'top' });
    const titles = out.t.filter((t) => t.m.kind === 'title');
    expect(titles).toHaveLength(1);
    expect(titles[0]!.sg).toHaveLength(1);
    expect(titles[0]!.sg[0]).toMatchObject({ text: 'Urban Dreams', s: 0, d: 2000, m: { pos: 'top' } });
    expect(out.m?.title).toBe('Urban Dreams');
  });
  it('add_text adds overlays and can replace them', () => {
    const one = run(addText, baseDraft(), { text: 'Subscribe!', start_ms: 8000, duration_ms: 2000, pos: 'bottom' });
    const two = run(addText, one, { text: 'Thanks', start_ms: 1000 });
    expect(two.t.find((t) => t.m.kind === 'text')!.sg.map((s) => s.s)).toEqual([1000, 8000]);
    const replaced = run(addText, two, { text: 'Only me', replace: true });
    expect(replaced.t.find((t) => t.m.kind === 'text')!.sg).toHaveLength(1);
  });
  it('text past the end extends the draft duration', () => {
    const out = run(addText, baseDraft(), { text: 'End card', start_ms: 9000, duration_ms: 3000 });
    expect(out.d).toBe(12_000);
  });
});

describe('cut_range and trim_to', () => {
  it('cut_range removes a middle part', () => {
    const out = run(cutRange, baseDraft(), { start_ms: 4000, end_ms: 6000 });
    expect(video(out).sg.map((s) => [s.s, s.d, s.in])).toEqual([
      [0, 4000, 0],
      [4000, 4000, 6000],
    ]);
    expect(out.d).toBe(8000);
  });
  it('trim_to keeps a range', () => {
    const out = run(trimTo, baseDraft(), { start_ms: 2000, end_ms: 5000 });
    expect(video(out).sg).toEqual([expect.objectContaining({ s: 0, d: 3000, in: 2000 })]);
    const title = out.t.find((t) => t.id === 'x1')!.sg[0]!;
    expect(title).toMatchObject({ s: 0, d: 1000 });
    expect(out.d).toBe(3000);
  });
  it('drops a layer whose every segment was cut, rather than leave an empty track behind', () => {
    // The title sits over 0-3 s: keeping 5-10 s leaves nothing of it (the summary said "Title:  (—)").
    const out = run(trimTo, baseDraft(), { start_ms: 5000, end_ms: 10_000 });
    expect(out.t.map((t) => t.id)).toEqual(['v1']);
  });
  it('rejects ranges outside the video and cutting everything', () => {
    expect(() => cutRange.apply(baseDraft(), cutRange.args.parse({ start_ms: 20_000, end_ms: 30_000 }), ctx())).toThrow(
      OpError,
    );
    expect(() => cutRange.apply(baseDraft(), cutRange.args.parse({ start_ms: 0, end_ms: 10_000 }), ctx())).toThrow(
      OpError,
    );
    expect(cutRange.args.safeParse({ start_ms: 5000, end_ms: 1000 }).success).toBe(false);
  });
});
