import { servedTypeHeaders } from './content-types.ts';
import { AppError, ErrorCode } from './errors.ts';

type Range = { offset?: number; length?: number; suffix?: number };

/** Parses one `bytes=a-b` / `bytes=a-` / `bytes=-n` range; null for anything else (served whole, as RFC 9110 allows). */
function parseRange(header: string | null): Range | null {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return null;
  if (m[1] === '') return { suffix: Number(m[2]) };
  const offset = Number(m[1]);
  return m[2] === '' ? { offset } : { offset, length: Number(m[2]) - offset + 1 };
}

/**
 * Serves an R2 object with Range support (players and ffmpeg seek with Range requests). HEAD
 * reads metadata only; a range past the end is 416 with the object's size, as clients expect.
 */
export async function serveObject(bucket: R2Bucket, key: string, req: Request, downloadName?: string) {
  const head = await bucket.head(key);
  if (!head) throw new AppError(ErrorCode.NOT_FOUND, 'No such object (it may have expired)');
  const headers = new Headers();
  head.writeHttpMetadata(headers);
  // Never the stored type as given: only media/caption types, nosniff, and attachment otherwise.
  for (const [k, v] of Object.entries(servedTypeHeaders(head.httpMetadata?.contentType))) headers.set(k, v);
  headers.set('etag', head.httpEtag);
  headers.set('accept-ranges', 'bytes');
  if (downloadName) headers.set('content-disposition', `attachment; filename="${downloadName.replace(/"/g, '')}"`);

  let range = parseRange(req.headers.get('range'));
  if (range && range.length !== undefined && range.length <= 0) range = null;
  if (range) {
    const start = range.suffix !== undefined ? Math.max(0, head.size - range.suffix) : range.offset!;
    if (start >= head.size || range.suffix === 0) {
      headers.set('content-range', `bytes */${head.size}`);
      return new Response(null, { status: 416, headers });
    }
    const end = Math.min(head.size, range.length !== undefined ? start + range.length : head.size) - 1;
    headers.set('content-range', `bytes ${start}-${end}/${head.size}`);
    headers.set('content-length', String(end - start + 1));
    if (req.method === 'HEAD') return new Response(null, { status: 206, headers });
    const part = await bucket.get(key, { range: { offset: start, length: end - start + 1 } });
    if (!part) throw new AppError(ErrorCode.NOT_FOUND, 'No such object (it may have expired)');
    return new Response(part.body, { status: 206, headers });
  }
  headers.set('content-length', String(head.size));
  if (req.method === 'HEAD') return new Response(null, { status: 200, headers });
  const object = await bucket.get(key);
  if (!object) throw new AppError(ErrorCode.NOT_FOUND, 'No such object (it may have expired)');
  return new Response(object.body, { status: 200, headers });
}
