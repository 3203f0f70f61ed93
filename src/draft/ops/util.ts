/** Small helpers the edit operations share: ids, cloning, finishing a draft. */
import { computeDurationMs, type Draft, DraftSchema, type Track, TrackType, type VideoTrack } from '../schema.ts';
import type { MediaInfo, OpContext } from './types.ts';
import { OpError } from './types.ts';

/** Deep copy, so an op never mutates its input. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Ids already used by tracks and segments of a draft. */
export function usedIds(draft: Draft): Set<string> {
  const ids = new Set<string>();
  for (const track of draft.t) {
    ids.add(track.id);
    for (const seg of track.sg) ids.add(seg.id);
  }
  return ids;
}

/** A deterministic id generator: the smallest `<prefix><n>` not in use (pure ops stay reproducible). */
export function idMaker(draft: Draft): (prefix: string) => string {
  const ids = usedIds(draft);
  return (prefix) => {
    let n = 1;
    while (ids.has(`${prefix}${n}`)) n++;
    const id = `${prefix}${n}`;
    ids.add(id);
    return id;
  };
}

/** Recompute `d`, drop empty text/audio tracks' zero-length leftovers and validate. */
export function finish(draft: Draft): Draft {
  for (const track of draft.t) {
    for (const seg of track.sg) {
      seg.s = Math.max(0, Math.round(seg.s));
      seg.d = Math.round(seg.d);
      if ('in' in seg) seg.in = Math.max(0, Math.round(seg.in));
    }
    const kept = (track.sg as { d: number }[]).filter((seg) => seg.d > 0);
    (track as { sg: unknown[] }).sg = kept;
  }
  draft.d = computeDurationMs(draft);
  return DraftSchema.parse(draft);
}

/** The main video track: the first video track (created by the initial placement). */
export function mainVideoTrack(draft: Draft): VideoTrack | undefined {
  return draft.t.find((t): t is VideoTrack => t.tt === TrackType.video);
}

export function requireMainVideo(draft: Draft): VideoTrack {
  const track = mainVideoTrack(draft);
  if (!track || track.sg.length === 0)
    throw new OpError(
      'empty_draft',
      'The timeline has no video yet: upload a clip first.',
      '时间线上还没有视频：请先上传素材。',
    );
  return track;
}

export function findMedia(ctx: OpContext, mediaId: string): MediaInfo {
  const media = ctx.media.find((m) => m.media_id === mediaId);
  if (!media)
    throw new OpError(
      'media_not_found',
      `No uploaded file with id ${mediaId} in this session.`,
      `这个会话里没有 id 为 ${mediaId} 的上传文件。`,
    );
  return media;
}

/** The background-music track, if any. */
export function musicTrack(draft: Draft): Extract<Track, { tt: typeof TrackType.audio }> | undefined {
  return draft.t.find(
    (t): t is Extract<Track, { tt: typeof TrackType.audio }> => t.tt === TrackType.audio && t.m.kind === 'music',
  );
}

/** Name without extension, for track labels. */
export function baseName(name: string): string {
  return name.replace(/\.[a-z0-9]{2,4}$/i, '');
}
