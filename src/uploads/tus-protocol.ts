import { AppError, ErrorCode } from '../lib/errors.ts';
import { MAX_UPLOAD_BYTES } from './limits.ts';

/** tus 1.0.0 (https://tus.io/protocols/resumable-upload): the core protocol plus creation and termination. */
export const TUS_VERSION = '1.0.0';
export const TUS_EXTENSIONS = 'creation,termination';
export const TUS_CONTENT_TYPE = 'application/offset+octet-stream';

/** Headers a browser client must be allowed to read (for a CORS layer in front of the API). */
export const TUS_EXPOSED_HEADERS =
  'Location, Upload-Offset, Upload-Length, Upload-Media-Id, Tus-Resumable, Tus-Version';

export const tusDiscoveryHeaders = () => ({
  'Tus-Version': TUS_VERSION,
  'Tus-Extension': TUS_EXTENSIONS,
  'Tus-Max-Size': String(MAX_UPLOAD_BYTES),
});

/**
 * A tus protocol refusal (412, 415): tus clients act on the status alone, and neither status is
 * one of the service's error codes, so these are plain text rather than the JSON envelope.
 */
export const tusProtocolError = (status: 412 | 415, message: string, headers: Record<string, string> = {}) =>
  new Response(message, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'Tus-Resumable': TUS_VERSION, ...headers },
  });

/** A non-negative integer header (Upload-Length, Upload-Offset), or null when absent or malformed. */
export function byteCountHeader(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,15}$/.test(value.trim())) return null;
  return Number(value.trim());
}

/**
 * Upload-Metadata: comma-separated `key base64value` pairs (a key alone means an empty value).
 * Values are UTF-8 after base64 decoding; a malformed pair is a 400.
 */
export function parseUploadMetadata(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header?.trim()) return out;
  for (const pair of header.split(',')) {
    const [key, value, extra] = pair.trim().split(/\s+/);
    if (!key || extra !== undefined || !/^[\x21-\x7e]+$/.test(key))
      throw new AppError(ErrorCode.BAD_REQUEST, `Malformed Upload-Metadata pair "${pair.trim().slice(0, 60)}"`);
    out[key] = value === undefined ? '' : decodeBase64Utf8(key, value);
  }
  return out;
}

function decodeBase64Utf8(key: string, value: string): string {
  try {
    const bytes = Uint8Array.from(atob(value), (ch) => ch.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new AppError(ErrorCode.BAD_REQUEST, `Upload-Metadata value of "${key}" is not base64-encoded UTF-8`);
  }
}
