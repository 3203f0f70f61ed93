/** Turns ffprobe's JSON into the wire ProbeResult (duration, size, fps, rotation, codecs, audio). */
import type { ProbeResult } from '../../../src/lib/engine-protocol.ts';
import { type FfprobeOutput, type FfprobeStream, probe } from '../ffmpeg/run-ffmpeg.ts';

/** Still-image codecs: a "video" stream with one of these is a picture, not a clip. */
const IMAGE_CODECS = new Set(['png', 'mjpeg', 'webp', 'bmp', 'tiff', 'jpegls']);
/** Containers of a single picture; `gif` too, whose one-frame files are stills (animated ones are clips). */
const IMAGE_FORMATS = /image2|_pipe$|^png|^webp|^gif$/;

export class UnreadableMediaError extends Error {}

/**
 * Decoded pixels per frame the engine accepts: a 16000×16000 PNG decodes to 1 GB per frame, and
 * each segment using it holds its own copy. Images may be photo-sized, video at most 4096×4096.
 */
export const MAX_PIXELS = { image: 36_000_000, video: 4096 * 4096 } as const;

/** The limit as a sentence users can act on, or null. Pure (tested on its own). */
export function pixelLimitProblem(kind: 'image' | 'video' | 'audio', width: number, height: number): string | null {
  if (kind === 'audio') return null;
  const max = MAX_PIXELS[kind];
  if (width * height <= max) return null;
  return `${kind} is ${width}×${height} (${Math.round((width * height) / 1e6)} MP): over the limit of ${max} pixels (${Math.round(max / 1e6)} MP) per frame; scale it down and upload again`;
}

export async function probeMedia(urlOrPath: string, signal?: AbortSignal): Promise<ProbeResult> {
  let out: FfprobeOutput;
  try {
    out = await probe(urlOrPath, { signal });
  } catch (err) {
    // ffprobe's stderr names engine internals (URLs, paths): it goes to the log, not to the user.
    console.warn('probe failed', (err as Error).message.slice(0, 500));
    throw new UnreadableMediaError('ffprobe cannot read the file (not a supported audio, video or image format)');
  }
  return describeProbe(out);
}

export function describeProbe(out: FfprobeOutput): ProbeResult {
  const video = out.streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const audio = out.streams.find((s) => s.codec_type === 'audio');
  if (!video && !audio) throw new UnreadableMediaError('no audio or video stream');
  const format = out.format.format_name ?? 'unknown';
  const frames = Number(video?.nb_frames ?? 0);
  const isGif = video?.codec_name === 'gif';
  const isImage =
    !!video &&
    !audio &&
    (IMAGE_CODECS.has(video.codec_name ?? '') || (isGif && frames === 1)) &&
    IMAGE_FORMATS.test(format);
  const kind = isImage ? 'image' : video ? 'video' : 'audio';
  const tooBig = pixelLimitProblem(kind, video?.width ?? 0, video?.height ?? 0);
  if (tooBig) throw new UnreadableMediaError(tooBig);
  const durationS = Number(out.format.duration ?? video?.duration ?? audio?.duration);
  return {
    kind,
    format,
    duration_ms: kind === 'image' || !Number.isFinite(durationS) ? null : Math.round(durationS * 1000),
    width: video?.width ?? null,
    height: video?.height ?? null,
    fps: kind === 'video' && video ? frameRate(video) : null,
    rotation: video ? rotationOf(video) : 0,
    video_codec: video?.codec_name ?? null,
    audio_codec: audio?.codec_name ?? null,
    has_audio: !!audio,
  };
}

function frameRate(s: FfprobeStream): number | null {
  for (const r of [s.avg_frame_rate, s.r_frame_rate]) {
    const [n, d] = (r ?? '').split('/').map(Number);
    if (n && d) return Math.round((n / d) * 1000) / 1000;
  }
  return null;
}

/** Phones record portrait as landscape plus a rotation (display matrix or the old `rotate` tag). */
function rotationOf(s: FfprobeStream): number {
  const side = s.side_data_list?.find((d) => typeof d.rotation === 'number')?.rotation;
  const raw = side ?? Number(s.tags?.rotate ?? 0);
  // Display-matrix rotation is counter-clockwise; report the clockwise angle players apply.
  const cw = side !== undefined ? -raw : raw;
  return (((Math.round(cw) % 360) + 360) % 360) | 0;
}
