import { AppError, ErrorCode } from './errors.ts';

/** Serves an R2 object with Range support (players and ffmpeg seek with Range requests). */
export async function serveObject(
  bucket: R2Bucket,
  key: string,
  req: Request,
  downloadName?: string,
): Promise<Response> {
  const rangeHeader = req.headers.get('range');
  const object = await bucket.get(key, rangeHeader ? { range: req.headers } : {});
  if (!object) throw new AppError(ErrorCode.NOT_FOUND, 'No such object (it may have expired)');
  const headers = new Headers();
  object.writeHttpMetadata(headers);
  headers.set('etag', object.httpEtag);
  headers.set('accept-ranges', 'bytes');
  if (downloadName) headers.set('content-disposition', `attachment; filename="${downloadName.replace(/"/g, '')}"`);
  const range = object.range as { offset?: number; length?: number; suffix?: number } | undefined;
  const body = req.method === 'HEAD' ? null : (object as R2ObjectBody).body;
  if (rangeHeader && range) {
    const offset = range.suffix !== undefined ? object.size - range.suffix : (range.offset ?? 0);
    const length = range.suffix ?? range.length ?? object.size - offset;
    headers.set('content-range', `bytes ${offset}-${offset + length - 1}/${object.size}`);
    headers.set('content-length', String(length));
    return new Response(body, { status: 206, headers });
  }
  headers.set('content-length', String(object.size));
  return new Response(body, { status: 200, headers });
}
