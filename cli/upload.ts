/**
 * Uploads a file into a session: the raw PUT route first (streams from disk, cheapest path into
 * R2); the contract's multipart POST when the service has no raw route (404).
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { type Api, decodeEnvelope } from './api-client.ts';
import { ApiError, UsageError } from './errors.ts';
import { type BodyPart, sendStreaming } from './http-send.ts';
import { type BarStream, transferBar } from './progress.ts';

export interface MediaInfo {
  media_id: string;
  name: string;
  kind: 'video' | 'image' | 'audio';
  size: number;
  duration_ms: number | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  has_audio: boolean;
}

const MIME: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.avi': 'video/x-msvideo',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
};

export const mimeFor = (path: string) => MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';

/** Header values must be Latin-1, so the name goes percent-encoded (the service decodes X-File-Name). */
export const headerFileName = (name: string) => encodeURIComponent(name);

function mediaFrom(data: unknown): MediaInfo[] {
  const d = data as { media?: MediaInfo[] } & Partial<MediaInfo>;
  if (Array.isArray(d?.media)) return d.media;
  if (d && typeof d.media_id === 'string') return [d as MediaInfo];
  return [];
}

export interface UploadOptions {
  quiet?: boolean;
  stream?: BarStream;
}

export async function uploadFile(
  api: Api,
  sessionId: string,
  path: string,
  opts: UploadOptions = {},
): Promise<MediaInfo[]> {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    throw new UsageError(`cannot read file ${path}`);
  }
  const name = basename(path);
  const sid = encodeURIComponent(sessionId);
  let sent = 0;
  const bar = transferBar(`upload ${name}`, size, () => sent, opts.stream, !opts.quiet);
  const onBytes = (n: number) => {
    sent = n;
    bar.update();
  };

  const raw = () =>
    api.withAuth(async (token) => {
      const res = await sendStreaming({
        method: 'PUT',
        url: api.url(`/api/upload-video/nemo_agent/me/${sid}/raw`),
        headers: {
          ...api.commonHeaders(),
          authorization: `Bearer ${token}`,
          'content-type': mimeFor(path),
          'x-file-name': headerFileName(name),
        },
        parts: [{ path, size }],
        onBytes,
      });
      return decodeEnvelope<unknown>(res);
    });

  const multipart = () =>
    api.withAuth(async (token) => {
      const boundary = `----openedit${randomBytes(12).toString('hex')}`;
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name.replace(/["\r\n]/g, '_')}"\r\n` +
          `Content-Type: ${mimeFor(path)}\r\n\r\n`,
      );
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      const parts: BodyPart[] = [head, { path, size }, tail];
      const res = await sendStreaming({
        method: 'POST',
        url: api.url(`/api/upload-video/nemo_agent/me/${sid}`),
        headers: {
          ...api.commonHeaders(),
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        parts,
        onBytes: (n) => onBytes(Math.min(size, Math.max(0, n - head.length))),
      });
      return decodeEnvelope<unknown>(res);
    });

  let data: unknown;
  try {
    data = await raw();
  } catch (err) {
    // 404 with the generic "no route" code means this service has no raw route; 1002 (session) is a real 404.
    if (!(err instanceof ApiError) || err.code !== 404) throw err;
    sent = 0;
    data = await multipart();
  }
  bar.done();
  return mediaFrom(data);
}
