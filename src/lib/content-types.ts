/**
 * Which content types the signed blob route stores and how it serves them. Blobs are served from
 * the API origin, so a stored `text/html` (or anything a browser would sniff into it) would run
 * script with the API's origin: only media and caption types are accepted on PUT, and every
 * answer says `nosniff`, with `attachment` for anything a browser should not render inline.
 */

/** The types the upload sniffer (src/uploads/sniff.ts) stores, plus the captions the engine writes. */
export const BLOB_PUT_TYPES: readonly string[] = [
  ...['video/mp4', 'video/quicktime', 'video/webm', 'video/x-matroska', 'video/x-msvideo'],
  ...['audio/mpeg', 'audio/wav', 'audio/mp4', 'audio/aac'],
  ...['image/png', 'image/jpeg', 'image/gif', 'image/webp'],
  ...['application/x-subrip', 'text/vtt'],
];

/** `Video/MP4; charset=x` → `video/mp4`. */
export function baseType(header: string | null | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

export function acceptedPutType(header: string | null | undefined): string | null {
  const t = baseType(header);
  return BLOB_PUT_TYPES.includes(t) ? t : null;
}

const INLINE = /^(video|audio|image)\//;

/** Headers for serving a stored object: its stored type if it is one we accept, else octet-stream. */
export function servedTypeHeaders(stored: string | undefined): Record<string, string> {
  const t = acceptedPutType(stored) ?? 'application/octet-stream';
  return {
    'content-type': t,
    'x-content-type-options': 'nosniff',
    ...(INLINE.test(t) ? {} : { 'content-disposition': 'attachment' }),
  };
}
