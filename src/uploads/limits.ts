import type { MediaKind } from '../lib/engine-protocol.ts';
import { AppError, ErrorCode } from '../lib/errors.ts';

/** docs/api.md: 500 MB per file. Binary mebibytes, so the limit is the same number clients compute. */
export const MAX_UPLOAD_BYTES = 500 * 1024 * 1024;

/** R2 multipart parts must all be the same size except the last; 10 MiB keeps a 500 MiB file at 50 parts. */
export const PART_BYTES = 10 * 1024 * 1024;

/** Enough of the start of a file to read its magic bytes, brands and EBML DocType. */
export const HEAD_BYTES = 4096;

export const ACCEPTED_EXTENSIONS = [
  'mp4',
  'mov',
  'avi',
  'webm',
  'mkv',
  'jpg',
  'png',
  'gif',
  'webp',
  'mp3',
  'wav',
  'm4a',
  'aac',
] as const;
export type AcceptedExt = (typeof ACCEPTED_EXTENSIONS)[number];

/** What the content says a file is (never what its name says). */
export interface SniffedType {
  ext: AcceptedExt;
  kind: MediaKind;
  mime: string;
}

export const unsupported = (name: string, why: string) =>
  new AppError(ErrorCode.UNSUPPORTED_MEDIA, `${name}: ${why}`, { accepted: [...ACCEPTED_EXTENSIONS], file: name });

export const tooLarge = (name: string) =>
  new AppError(ErrorCode.FILE_TOO_LARGE, `${name}: file too large (limit ${MAX_UPLOAD_BYTES} bytes, 500 MiB)`, {
    max_bytes: MAX_UPLOAD_BYTES,
    file: name,
  });
