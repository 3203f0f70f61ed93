/**
 * Chunks of a timeline for a parallel render: `planChunks` chooses frame boundaries, `sliceDraft`
 * makes the draft of one chunk. Pure; used by the engine (which renders a slice) and the Worker
 * (which plans the chunks).
 *
 * The frame grid: the whole render gives each segment of a video track the frames
 * [round(s·fps), round((s+d)·fps)) of the timeline (engine/src/render/layers), so frame n of the
 * output is always the same picture, whatever else the draft holds. A slice keeps that grid.
 *
 * Why a slice keeps the whole timeline's times instead of shifting the window to 0: everything
 * that depends on time then computes from the very same numbers as in the whole render, so a
 * chunk's frames are the whole render's frames by construction, at any frame rate:
 * - captions are laid out per segment (line breaks, event times by word or character share), so
 *   a caption segment cut at a seam would be laid out differently; kept whole, the chunk's ASS file
 *   is byte for byte the whole render's, and libass sees the same frame times (no centisecond
 *   rounding of a shifted event can move it by a frame);
 * - a fade that crosses a seam (a segment's, a title's, the draft's own) continues from the phase
 *   it had, because the frame times it is computed from are the whole render's.
 * The engine renders the window [start_frame, end_frame) (draft `m.window`) and re-stamps the
 * frames from 0 just before the encoder. Only video-track segments are cut: a piece starts on the
 * grid at the boundary, its in-point moved by the frames cut, and it remembers (m.slice) how many
 * frames of its segment came before it and how long the segment was, for its own fades.
 */
import type { Draft, VisualSegment } from './schema.ts';
import { TrackType } from './schema.ts';

export interface ChunkRange {
  /** First frame of the chunk (inclusive). */
  start_frame: number;
  /** Frame after the chunk's last (exclusive). */
  end_frame: number;
}

/** The timeline frame at `ms` (the grid every segment boundary is rounded to). */
export const frameAt = (ms: number, fps: number): number => Math.round((ms * fps) / 1000);

/** Start time of frame `frame`, ms (fractional when 1000/fps is not whole). */
export const msOfFrame = (frame: number, fps: number): number => (frame * 1000) / fps;

/**
 * Frames a segment gets: its share of the timeline's frame grid, so cuts that each hold 2.5
 * frames' worth alternate 2 and 3 and the picture never drifts from the sound (at least one).
 */
export function gridFrames(startMs: number, durationMs: number, fps: number): number {
  return Math.max(1, frameAt(startMs + durationMs, fps) - frameAt(startMs, fps));
}

/** The timeline's duration: `d` when set, else the end of its last segment (rounded to ms, as the engine does). */
export function timelineMs(draft: Pick<Draft, 'd' | 't'>): number {
  let end = 0;
  for (const track of draft.t) for (const seg of track.sg) end = Math.max(end, seg.s + seg.d);
  return Math.round(draft.d > 0 ? draft.d : end);
}

/** Frames of the whole render. */
export const timelineFrames = (draft: Pick<Draft, 'd' | 't' | 'fps'>): number => frameAt(timelineMs(draft), draft.fps);

/**
 * A video track's segments as rendered: sorted by start, each ending where the next one starts
 * (later covers earlier), nothing past `endMs`. Times are kept exact (not rounded to ms) so the
 * pieces of a slice stay on the frame grid.
 */
export function sequenceSegments<T extends { s: number; d: number }>(segs: readonly T[], endMs: number): T[] {
  const sorted = segs.filter((s) => s.s < endMs).sort((a, b) => a.s - b.s);
  return sorted
    .map((seg, i) => {
      const next = sorted[i + 1];
      const end = Math.min(seg.s + seg.d, next ? next.s : Number.POSITIVE_INFINITY, endMs);
      return { ...seg, d: end - seg.s };
    })
    .filter((seg) => seg.d > 0);
}

/** The part of one sequenced segment inside frames [f0, f1), or null when none of it is. */
function pieceOf(seg: VisualSegment, f0: number, f1: number, fps: number): VisualSegment | null {
  const a = frameAt(seg.s, fps);
  const b = frameAt(seg.s + seg.d, fps);
  if (b <= f0 || a >= f1) return null;
  const headFrames = Math.max(0, f0 - a);
  const cutTail = b > f1;
  if (headFrames === 0 && !cutTail) return seg;
  const s = headFrames > 0 ? msOfFrame(f0, fps) : seg.s;
  const end = cutTail ? msOfFrame(f1, fps) : seg.s + seg.d;
  const speed = seg.m.speed ?? 1;
  const before = seg.m.slice;
  return {
    ...seg,
    s,
    d: end - s,
    // Source time the cut frames would have shown (images ignore it).
    in: seg.in + msOfFrame(headFrames, fps) * speed,
    m: {
      ...seg.m,
      slice: { head_frames: (before?.head_frames ?? 0) + headFrames, whole_d: before?.whole_d ?? seg.d },
    },
  };
}

/**
 * The draft of frames [startFrame, endFrame) of `draft`, for a video-only chunk render: video
 * segments outside the window dropped and those crossing it cut (see the file comment), audio
 * tracks dropped (the sound is rendered once for the whole timeline), text tracks and the
 * draft's fades kept as they are, `m.window` set. Throws RangeError for a window that is not a
 * non-empty run of whole frames inside the timeline.
 */
export function sliceDraft(draft: Draft, startFrame: number, endFrame: number): Draft {
  const total = timelineFrames(draft);
  if (!Number.isInteger(startFrame) || !Number.isInteger(endFrame) || startFrame < 0 || endFrame > total) {
    throw new RangeError(`window [${startFrame}, ${endFrame}) is not whole frames within [0, ${total})`);
  }
  if (endFrame <= startFrame) throw new RangeError(`window [${startFrame}, ${endFrame}) is empty`);
  const wholeMs = timelineMs(draft);
  const t = draft.t.flatMap((track): Draft['t'] => {
    if (track.tt === TrackType.audio) return [];
    if (track.tt === TrackType.text) return [track];
    const sg = sequenceSegments(track.sg, wholeMs)
      .map((seg) => pieceOf(seg, startFrame, endFrame, draft.fps))
      .filter((seg): seg is VisualSegment => seg !== null);
    // An emptied track stays: the first video track is the bottom one, whatever it holds.
    return [{ ...track, sg }];
  });
  return { ...draft, d: wholeMs, t, m: { ...draft.m, window: { start_frame: startFrame, end_frame: endFrame } } };
}

/** Frames of `[start, end)` covered by a segment of an overlay (non-bottom) video track. */
function overlayFrames(draft: Draft): [number, number][] {
  const video = draft.t.filter((t) => t.tt === TrackType.video);
  return video
    .slice(1)
    .flatMap((t) =>
      t.sg.map((seg) => [frameAt(seg.s, draft.fps), frameAt(seg.s + seg.d, draft.fps)] as [number, number]),
    );
}

/**
 * Chooses `n` chunks of about equal length covering the whole timeline. Each boundary is the
 * start of a bottom-track segment near the ideal point (within a tenth of a chunk) that no
 * overlay segment crosses, so no segment has to be cut; failing that, the nearest frame no
 * overlay crosses (within a quarter) whose time is a whole millisecond (every frame at 25 fps, every third at 30), else the ideal frame.
 * Never fewer than one frame per chunk; fewer chunks when the timeline has fewer frames than `n`.
 */
export function planChunks(draft: Draft, n: number): ChunkRange[] {
  const total = timelineFrames(draft);
  const count = Math.max(1, Math.min(Math.floor(n), total));
  const fps = draft.fps;
  const overlays = overlayFrames(draft);
  const free = (f: number) => !overlays.some(([a, b]) => a < f && f < b);
  const bottom = draft.t.find((t) => t.tt === TrackType.video);
  const starts = bottom
    ? [...new Set(sequenceSegments(bottom.sg, timelineMs(draft)).map((seg) => frameAt(seg.s, fps)))].filter(
        (f) => f > 0 && f < total && free(f),
      )
    : [];
  const wholeMs = (f: number) => (f * 1000) % fps === 0;
  const bounds = [0];
  for (let i = 1; i < count; i++) {
    const ideal = Math.round((i * total) / count);
    // Balance first: the slowest chunk sets the wall time. A segment start is worth a tenth of a
    // chunk of imbalance; stepping out of an overlay a quarter (rare, and both are correct).
    const tight = Math.max(1, Math.floor(total / count / 10));
    const loose = Math.max(1, Math.floor(total / count / 4));
    const prev = bounds[bounds.length - 1]!;
    const remaining = count - i; // chunks still to place after this boundary, one frame each at least
    const ok = (tol: number) => (f: number) => f > prev && f <= total - remaining && Math.abs(f - ideal) <= tol;
    const nearest = (cands: number[], tol: number) =>
      cands.filter(ok(tol)).sort((a, b) => Math.abs(a - ideal) - Math.abs(b - ideal) || a - b)[0];
    const window = Array.from({ length: 2 * loose + 1 }, (_, k) => ideal - loose + k);
    const chosen =
      nearest(starts, tight) ??
      nearest(
        window.filter((f) => wholeMs(f) && free(f)),
        loose,
      ) ??
      nearest(window.filter(wholeMs), tight) ??
      Math.min(Math.max(ideal, prev + 1), total - remaining);
    bounds.push(chosen);
  }
  bounds.push(total);
  return bounds.slice(1).map((end, i) => ({ start_frame: bounds[i]!, end_frame: end }));
}
