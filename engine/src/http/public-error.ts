/**
 * What an engine failure may tell the user. ffmpeg's stderr, Node's errno strings and stack frames
 * name temp paths, signed URLs and library internals: those stay in the engine log.
 */
import { AbortedError, FfmpegError, RefusedInputError } from '../ffmpeg/run-ffmpeg.ts';
import { UnreadableMediaError } from '../probe/probe-media.ts';

/** An error whose message was written for the user (no internals). */
export class PublicError extends Error {}

export function publicError(err: unknown): string {
  // UnreadableMediaError messages are the engine's own sentences (probe-media.ts), never ffprobe's.
  if (err instanceof PublicError || err instanceof RefusedInputError || err instanceof UnreadableMediaError) {
    return err.message.slice(0, 300);
  }
  if (err instanceof AbortedError) return 'cancelled';
  if (err instanceof FfmpegError) {
    return `the media engine could not encode this draft (ffmpeg exit code ${err.exitCode ?? 'unknown'})`;
  }
  return 'the media engine failed while rendering (details are in the engine log)';
}
