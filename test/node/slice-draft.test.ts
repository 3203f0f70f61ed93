/** sliceDraft and planChunks as pure functions (src/draft/slice-draft.ts). */
import { describe, expect, it } from 'vitest';
import { type Draft, type DraftInput, DraftSchema, type VisualSegment } from '../../src/draft/schema.ts';
import { frameAt, gridFrames, planChunks, sliceDraft, timelineFrames } from '../../src/draft/slice-draft.ts';

const draftOf = (input: Partial<DraftInput> & Pick<DraftInput, 't'>): Draft =>
  DraftSchema.parse({ w: 320, h: 180, fps: 25, d: 0, ...input });

const seg = (id: string, s: number, d: number, extra: Record<string, unknown> = {}) => ({
  id,
  src: 'm',
  s,
  d,
  ...extra,
});

describe('sliceDraft', () => {
  const draft = draftOf({
    fps: 25,
    m: { fade_in: 1000 },
    t: [
      {
        id: 'v',
        tt: 0,
        m: {},
        sg: [seg('a', 0, 2000, { in: 500 }), seg('b', 2000, 3000, { in: 10_000, m: { fade_in: 800, speed: 2 } })],
      },
      { id: 'ov', tt: 0, m: {}, sg: [seg('o', 1000, 3000)] },
      { id: 'mus', tt: 1, m: {}, sg: [seg('m1', 0, 5000)] },
      { id: 'cap', tt: 7, m: { kind: 'caption' }, sg: [{ id: 'c', text: 'hello there', s: 1500, d: 1000 }] },
    ],
  });

  it('cuts video segments at the window, moves their in-points by the frames cut, keeps the whole timeline times', () => {
    // Frames [60, 100) = [2400 ms, 4000 ms).
    const slice = sliceDraft(draft, 60, 100);
    expect(slice.m?.window).toEqual({ start_frame: 60, end_frame: 100 });
    expect(slice.d).toBe(5000);
    const [bottom, overlay, ...rest] = slice.t;
    // 'a' ends at frame 50: gone. 'b' starts at frame 50: 10 frames (400 ms) cut, at speed 2 that is 800 ms of source.
    expect(bottom!.sg).toEqual([
      {
        ...draft.t[0]!.sg[1],
        s: 2400,
        d: 1600,
        in: 10_800,
        m: { ...draft.t[0]!.sg[1]!.m, slice: { head_frames: 10, whole_d: 3000 } },
      },
    ]);
    expect(overlay!.sg).toEqual([
      {
        ...draft.t[1]!.sg[0],
        s: 2400,
        d: 1600,
        in: 1400,
        m: { ...draft.t[1]!.sg[0]!.m, slice: { head_frames: 35, whole_d: 3000 } },
      },
    ]);
    // Sound is rendered whole (audio part); text stays as it is (laid out per segment, on whole-timeline times).
    expect(rest.map((t) => t.id)).toEqual(['cap']);
    expect(rest[0]).toEqual(draft.t[3]);
    expect(slice.m?.fade_in).toBe(1000);
  });

  it('keeps every frame of the timeline in exactly one chunk, each segment on the same grid frames', () => {
    const chunks = planChunks(draft, 3);
    let frames = 0;
    for (const c of chunks) {
      const slice = sliceDraft(draft, c.start_frame, c.end_frame);
      for (const piece of slice.t[0]!.sg) {
        expect(frameAt(piece.s, 25)).toBeGreaterThanOrEqual(c.start_frame);
        expect(frameAt(piece.s + piece.d, 25)).toBeLessThanOrEqual(c.end_frame);
      }
      frames += c.end_frame - c.start_frame;
    }
    expect(frames).toBe(timelineFrames(draft));
  });

  it('cuts a segment twice at 30 fps: pieces on the grid, head frames add up', () => {
    const d30 = draftOf({
      fps: 30,
      t: [{ id: 'v', tt: 0, m: {}, sg: [seg('a', 0, 10_000, { m: { fade_out: 500 } })] }],
    });
    const middle = sliceDraft(d30, 100, 200);
    const piece = middle.t[0]!.sg[0] as VisualSegment;
    expect(gridFrames(piece.s, piece.d, 30)).toBe(100);
    expect(frameAt(piece.s, 30)).toBe(100);
    expect(piece.in).toBeCloseTo(3333.333, 3);
    expect(piece.m.slice).toEqual({ head_frames: 100, whole_d: 10_000 });
    // Slicing a slice again counts from the segment's start.
    const again = sliceDraft(middle, 150, 160).t[0]!.sg[0] as VisualSegment;
    expect(again.m.slice).toEqual({ head_frames: 150, whole_d: 10_000 });
    expect(again.in).toBeCloseTo(5000, 6);
  });

  it('refuses windows that are not whole frames inside the timeline', () => {
    expect(() => sliceDraft(draft, 0, 126)).toThrow(RangeError);
    expect(() => sliceDraft(draft, 10, 10)).toThrow(RangeError);
    expect(() => sliceDraft(draft, 1.5, 10)).toThrow(RangeError);
    expect(() => sliceDraft(draft, -1, 10)).toThrow(RangeError);
  });

  it('the sliced draft is still a valid draft', () => {
    expect(DraftSchema.safeParse(sliceDraft(draft, 30, 90)).success).toBe(true);
  });
});

describe('planChunks', () => {
  it('cuts at segment starts near the ideal points, not inside an overlay', () => {
    const sg = Array.from({ length: 12 }, (_, i) => seg(`s${i}`, i * 1000, 1000));
    const draft = draftOf({ t: [{ id: 'v', tt: 0, m: {}, sg }] });
    expect(planChunks(draft, 4)).toEqual([
      { start_frame: 0, end_frame: 75 },
      { start_frame: 75, end_frame: 150 },
      { start_frame: 150, end_frame: 225 },
      { start_frame: 225, end_frame: 300 },
    ]);
    // An overlay over 2.5–3.5 s: the boundary near 3 s moves to a free segment start (2 s or 4 s
    // are too far from the ideal 3 s), else to a frame inside the segment that no overlay crosses.
    const withOverlay = draftOf({
      t: [
        { id: 'v', tt: 0, m: {}, sg },
        { id: 'o', tt: 0, m: {}, sg: [seg('o1', 2500, 1000)] },
      ],
    });
    const chunks = planChunks(withOverlay, 4);
    expect(chunks[0]!.end_frame).not.toBe(75);
    expect(chunks[0]!.end_frame).toBe(63); // the overlay starts at frame 63 (2500 ms): not inside it
  });

  it('balance before segment starts: a start a sixth of a chunk away is passed over for the ideal frame', () => {
    // 300 frames in two chunks: the ideal seam is frame 150; the only segment start, 125, is 25
    // frames off (over a tenth of a chunk), so the seam goes inside the segment, at 150.
    const draft = draftOf({ t: [{ id: 'v', tt: 0, m: {}, sg: [seg('a', 0, 5000), seg('b', 5000, 7000)] }] });
    expect(planChunks(draft, 2)).toEqual([
      { start_frame: 0, end_frame: 150 },
      { start_frame: 150, end_frame: 300 },
    ]);
    // 10 frames off (within a tenth): the segment start wins.
    const near = draftOf({ t: [{ id: 'v', tt: 0, m: {}, sg: [seg('a', 0, 5600), seg('b', 5600, 6400)] }] });
    expect(planChunks(near, 2)[0]!.end_frame).toBe(140);
  });

  it('at 30 fps, boundaries inside a segment fall on whole milliseconds (every third frame)', () => {
    const draft = draftOf({ fps: 30, t: [{ id: 'v', tt: 0, m: {}, sg: [seg('a', 0, 10_000)] }] });
    const chunks = planChunks(draft, 7);
    expect(chunks).toHaveLength(7);
    for (const c of chunks.slice(1)) expect(c.start_frame % 3).toBe(0);
    expect(chunks.at(-1)!.end_frame).toBe(300);
  });

  it('never makes an empty chunk; fewer chunks than frames when asked for too many', () => {
    const draft = draftOf({ t: [{ id: 'v', tt: 0, m: {}, sg: [seg('a', 0, 120)] }] }); // 3 frames
    const chunks = planChunks(draft, 8);
    expect(chunks).toEqual([
      { start_frame: 0, end_frame: 1 },
      { start_frame: 1, end_frame: 2 },
      { start_frame: 2, end_frame: 3 },
    ]);
    expect(planChunks(draft, 1)).toEqual([{ start_frame: 0, end_frame: 3 }]);
  });
});
