import type { MediaKind, ProbeResult } from '../lib/engine-protocol.ts';
import { getSession } from './sessions.ts';

/** A media row as the API shows it (plus where it lives), see docs/api.md's upload answer. */
export interface MediaRecord {
  media_id: string;
  session_id: string;
  name: string;
  kind: MediaKind;
  mime: string;
  size: number;
  r2_key: string;
  content_hash: string | null;
  duration_ms: number | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  has_audio: boolean | null;
  rotation: number | null;
  video_codec: string | null;
  audio_codec: string | null;
  created_at: number;
}

export type NewMedia = Pick<MediaRecord, 'media_id' | 'name' | 'kind' | 'mime' | 'size' | 'r2_key' | 'content_hash'>;

type Row = Omit<MediaRecord, 'media_id' | 'has_audio'> & { id: string; has_audio: number | null };

const toRecord = ({ id, has_audio, ...rest }: Row): MediaRecord => ({
  media_id: id,
  ...rest,
  has_audio: has_audio === null ? null : has_audio === 1,
});

export function addMedia(
  sql: SqlStorage,
  sessionId: string,
  m: NewMedia,
  probe: ProbeResult | null,
  nowMs: number,
): MediaRecord {
  getSession(sql, sessionId);
  sql.exec(
    `INSERT INTO media (id, session_id, name, kind, mime, size, r2_key, content_hash, duration_ms, width, height, fps,
       has_audio, rotation, video_codec, audio_codec, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    m.media_id,
    sessionId,
    m.name,
    probe?.kind ?? m.kind,
    m.mime,
    m.size,
    m.r2_key,
    m.content_hash,
    probe?.duration_ms ?? null,
    probe?.width ?? null,
    probe?.height ?? null,
    probe?.fps ?? null,
    probe ? (probe.has_audio ? 1 : 0) : null,
    probe?.rotation ?? null,
    probe?.video_codec ?? null,
    probe?.audio_codec ?? null,
    nowMs,
  );
  sql.exec('UPDATE sessions SET updated_at = ? WHERE id = ?', nowMs, sessionId);
  return getMedia(sql, sessionId, m.media_id)!;
}

export function listMedia(sql: SqlStorage, sessionId: string): MediaRecord[] {
  getSession(sql, sessionId);
  return (
    sql
      .exec('SELECT * FROM media WHERE session_id = ? ORDER BY created_at, rowid', sessionId)
      .toArray() as unknown as Row[]
  ).map(toRecord);
}

export function getMedia(sql: SqlStorage, sessionId: string, mediaId: string): MediaRecord | null {
  const row = sql.exec('SELECT * FROM media WHERE session_id = ? AND id = ?', sessionId, mediaId).toArray()[0] as
    | Row
    | undefined;
  return row ? toRecord(row) : null;
}

/** The public shape of a media row (docs/api.md): no storage key, no internal columns. */
export function publicMedia(m: MediaRecord) {
  return {
    media_id: m.media_id,
    name: m.name,
    kind: m.kind,
    size: m.size,
    duration_ms: m.duration_ms,
    width: m.width,
    height: m.height,
    fps: m.fps,
    has_audio: m.has_audio,
  };
}
