import { describe, expect, it } from 'vitest';
import { addMusic } from '../../src/draft/ops/add-music.ts';
import { denoise, mute, normalizeLoudness, setVolume } from '../../src/draft/ops/audio-ops.ts';
import { appendClips, aspectOf, placeMedia, reorder } from '../../src/draft/ops/clips.ts';
import { fade } from '../../src/draft/ops/fade.ts';
import { allTools, EDIT_OPS } from '../../src/draft/ops/index.ts';
import { removeTrack } from '../../src/draft/ops/remove-track.ts';
import { setAspect } from '../../src/draft/ops/set-aspect.ts';
import { setSpeed } from '../../src/draft/ops/set-speed.ts';
import { OpError } from '../../src/draft/ops/types.ts';
import type { Draft } from '../../src/draft/schema.ts';
import { baseDraft, ctx, emptyDraft, run } from './ops-fixtures.ts';

const video = (d: Draft) => d.t.find((t) => t.tt === 0)!;

describe('add_music', () => {
  it('adds a looping, ducked bed under the titles with fades', () => {
    const out = run(addMusic, baseDraft(), { media_id: 'med_m', volume: 0.35, fade_in_ms: 500, fade_out_ms: 1000 });
    expect(out.t.map((t) => t.tt)).toEqual([0, 1, 7]);
    const music = out.t[1]!;
    expect(music.m).toMatchObject({ name: 'BGM: lofi', kind: 'music', volume: 0.35, duck: true });
    expect(music.sg[0]).toMatchObject({
      src: 'med_m',
      s: 0,
      d: 10_000,
      in: 0,
      m: { fade_in: 500, fade_out: 1000, loop: true },
    });
  });
  it('replaces earlier music and clamps to the music when not looping', () => {
    const once = run(addMusic, baseDraft(), { media_id: 'med_m' });
    const long = run(appendClips, once, { media_ids: ['med_a', 'med_a', 'med_a', 'med_a'] });
    expect(long.t.find((t) => t.m.kind === 'music')!.sg[0]!.d).toBe(50_000); // looping bed follows the content
    const out = run(addMusic, long, { media_id: 'med_m', loop: false });
    expect(out.t.filter((t) => t.m.kind === 'music')).toHaveLength(1);
    expect(out.t.find((t) => t.m.kind === 'music')!.sg[0]!.d).toBe(30_000);
  });
  it('refuses unknown media and silent video', () => {
    expect(() => addMusic.apply(baseDraft(), addMusic.args.parse({ media_id: 'nope' }), ctx())).toThrow(OpError);
    expect(() => addMusic.apply(baseDraft(), addMusic.args.parse({ media_id: 'med_b' }), ctx())).toThrow(/no audio/);
    expect(addMusic.args.safeParse({ media_id: 'med_m', volume: 1.5 }).success).toBe(false);
  });
});

describe('set_aspect', () => {
  it('changes the output size and the fit of every clip', () => {
    const out = run(setAspect, baseDraft(), { aspect: '4:5', fit: 'contain' });
    expect([out.w, out.h]).toEqual([1080, 1350]);
    expect(video(out).sg[0]!.m.fit).toBe('contain');
    const wide = run(setAspect, out, { aspect: '16:9' });
    expect([wide.w, wide.h, video(wide).sg[0]!.m.fit]).toEqual([1920, 1080, 'cover']);
  });
});

describe('set_speed', () => {
  it('shortens clips and moves titles with them', () => {
    const out = run(setSpeed, baseDraft(), { factor: 2 });
    expect(video(out).sg[0]).toMatchObject({ s: 0, d: 5000, in: 0, m: { speed: 2 } });
    expect(out.t.find((t) => t.id === 'x1')!.sg[0]).toMatchObject({ s: 0, d: 1500 });
    expect(out.d).toBe(5000);
  });
  it('is absolute, not cumulative', () => {
    const twice = run(setSpeed, run(setSpeed, baseDraft(), { factor: 2 }), { factor: 0.5 });
    expect(video(twice).sg[0]).toMatchObject({ d: 20_000, m: { speed: 0.5 } });
  });
  it('lays out several clips in sequence', () => {
    const two = run(appendClips, baseDraft(), { media_ids: ['med_b'] });
    const out = run(setSpeed, two, { factor: 1.25 });
    expect(video(out).sg.map((s) => [s.s, s.d])).toEqual([
      [0, 8000],
      [8000, 3200],
    ]);
  });
});

describe('fade, volume, mute, loudness, denoise', () => {
  it('fade sets the draft fades and 0 removes them', () => {
    const out = run(fade, baseDraft(), { direction: 'both', duration_ms: 800 });
    expect(out.m).toMatchObject({ fade_in: 800, fade_out: 800 });
    const noIn = run(fade, out, { direction: 'in', duration_ms: 0 });
    expect(noIn.m?.fade_in).toBeUndefined();
    expect(noIn.m?.fade_out).toBe(800);
    expect(() => fade.apply(baseDraft(), fade.args.parse({ duration_ms: 6000 }), ctx())).toThrow(OpError);
  });
  it('set_volume and mute target tracks by role', () => {
    const withMusic = run(addMusic, baseDraft(), { media_id: 'med_m' });
    const louder = run(setVolume, withMusic, { target: 'music', volume: 0.5 });
    expect(louder.t[1]!.m.volume).toBe(0.5);
    const muted = run(mute, louder, { target: 'video' });
    expect(muted.t[0]!.m.muted).toBe(true);
    const back = run(setVolume, muted, { target: 'video', volume: 1 });
    expect(back.t[0]!.m.muted).toBeUndefined();
    expect(() => mute.apply(baseDraft(), mute.args.parse({ target: 'music' }), ctx())).toThrow(/no music track/);
  });
  it('normalize_loudness and denoise set draft metadata', () => {
    expect(run(normalizeLoudness, baseDraft(), {}).m?.loudness_lufs).toBe(-14);
    expect(run(denoise, baseDraft(), {}).m?.denoise).toBe(true);
    expect(run(denoise, baseDraft(), { enabled: false }).m?.denoise).toBe(false);
  });
});

describe('clips', () => {
  it('place_media builds the first track from uploads, sized from the first clip', () => {
    const out = run(placeMedia, emptyDraft(), {});
    expect([out.w, out.h]).toEqual([1920, 1080]);
    expect(video(out).sg.map((s) => [s.src, s.s, s.d])).toEqual([
      ['med_a', 0, 10_000],
      ['med_b', 10_000, 4000],
      ['med_c', 14_000, 3000],
    ]);
    expect(() => placeMedia.apply(out, {}, ctx())).toThrow(OpError);
    expect(() => placeMedia.apply(emptyDraft(), {}, ctx({ media: [] }))).toThrow(/Upload a video/);
  });
  it('aspectOf picks the nearest output shape', () => {
    expect(aspectOf(1080, 1920)).toBe('9:16');
    expect(aspectOf(1000, 1000)).toBe('1:1');
    expect(aspectOf(1080, 1300)).toBe('4:5');
    expect(aspectOf(null, 100)).toBeNull();
  });
  it('append_clips appends in order and refuses audio', () => {
    const out = run(appendClips, baseDraft(), { media_ids: ['med_c', 'med_b'] });
    expect(video(out).sg.map((s) => [s.src, s.s])).toEqual([
      ['med_a', 0],
      ['med_c', 10_000],
      ['med_b', 13_000],
    ]);
    expect(() => appendClips.apply(baseDraft(), appendClips.args.parse({ media_ids: ['med_m'] }), ctx())).toThrow(
      /audio/,
    );
  });
  it('reorder moves clips and the text inside them', () => {
    const three = run(appendClips, baseDraft(), { media_ids: ['med_b', 'med_c'] });
    const out = run(reorder, three, { order: [3, 1] });
    expect(video(out).sg.map((s) => [s.src, s.s])).toEqual([
      ['med_c', 0],
      ['med_a', 3000],
      ['med_b', 13_000],
    ]);
    expect(out.t.find((t) => t.id === 'x1')!.sg[0]!.s).toBe(3000);
    expect(() => reorder.apply(three, { order: [9] }, ctx())).toThrow(/no clip 9/);
  });
});

describe('remove_track and registry', () => {
  it('removes an added layer', () => {
    const out = run(removeTrack, baseDraft(), { target: 'title' });
    expect(out.t).toHaveLength(1);
    expect(() => removeTrack.apply(baseDraft(), { target: 'music' }, ctx())).toThrow(OpError);
  });
  it('every tool has a name, a description and an args schema that accepts its defaults', () => {
    for (const tool of allTools()) {
      expect(tool.name).toMatch(/^[a-z_]+$/);
      expect(tool.description.length).toBeGreaterThan(10);
    }
    expect(Object.keys(EDIT_OPS)).toContain('trim_pauses');
    expect(EDIT_OPS.normalize_loudness!.args.parse({})).toEqual({ lufs: -14 });
  });
});
