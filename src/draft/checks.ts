/**
 * The checks a draft must pass before it is rendered, beyond its schema: one set, used by the
 * Worker before it freezes credits (src/render/start-render.ts, a 400 naming the field) and by
 * the engine before it runs ffmpeg (engine/src/render/validate.ts), so both refuse the same
 * drafts with the same words. Each returns the problem as "field: message", or null.
 */
import { computeDurationMs, type Draft, referencedMedia } from './schema.ts';
import { TrackType } from './track-type.ts';

/** What a media id is (video, image, audio), or undefined when the render has no such media. */
export type MediaKindOf = (mediaId: string) => string | undefined;

/** The length a render of this draft has: its `d`, or the end of its last segment when `d` is 0. */
export function renderDurationMs(draft: Draft): number {
  return Math.round(draft.d > 0 ? draft.d : computeDurationMs(draft));
}

export function emptyDraftProblem(draft: Draft): string | null {
  if (renderDurationMs(draft) > 0 && draft.t.some((t) => t.sg.length > 0)) return null;
  return 'draft.t: the draft is empty (no segment, duration 0): nothing to render';
}

/** H.264 in yuv420p needs even sizes; ffmpeg would refuse the encode only once it runs. */
export function oddSizeProblem(draft: Draft): string | null {
  for (const side of ['w', 'h'] as const) if (draft[side] % 2 !== 0) return `draft.${side}: must be even`;
  return null;
}

/** The media ids the draft uses that the render does not have, in order of first use. */
export function unknownMedia(draft: Draft, kindOf: MediaKindOf): string[] {
  return referencedMedia(draft).filter((id) => kindOf(id) === undefined);
}

export function unknownMediaProblem(ids: readonly string[]): string | null {
  return ids.length ? `draft.t: unknown media ${ids.join(', ')}` : null;
}

/** Audio on a video track, or an image on an audio track: the first such segment, named by its path. */
export function misplacedMediaProblem(draft: Draft, kindOf: MediaKindOf): string | null {
  for (const [ti, track] of draft.t.entries()) {
    if (track.tt === TrackType.text) continue;
    for (const [si, seg] of track.sg.entries()) {
      const kind = kindOf(seg.src);
      if (track.tt === TrackType.video && kind === 'audio')
        return `draft.t.${ti}.sg.${si}.src: ${seg.src} is audio on a video track`;
      if (track.tt === TrackType.audio && kind === 'image')
        return `draft.t.${ti}.sg.${si}.src: ${seg.src} is an image on an audio track`;
    }
  }
  return null;
}

/** `m.window` marks a chunk's slice (src/draft/slice-draft.ts), made by the engine itself: never sent. */
export function windowProblem(draft: Draft): string | null {
  return draft.m?.window ? 'draft.m.window: only a chunked render sets it (send the whole draft)' : null;
}

/** Every check above in the Worker's order; the first problem, or null when the draft can be rendered. */
export function renderProblem(draft: Draft, kindOf: MediaKindOf): string | null {
  return (
    emptyDraftProblem(draft) ??
    oddSizeProblem(draft) ??
    windowProblem(draft) ??
    unknownMediaProblem(unknownMedia(draft, kindOf)) ??
    misplacedMediaProblem(draft, kindOf)
  );
}
