/**
 * The wire protocol between the Worker and the media engine (engine/). Both sides import
 * these schemas (the render request, which carries a draft, is in src/render/render-request.ts): the engine validates requests with them, the Worker validates responses.
 * Every URL here is a short-lived signed URL served by the Worker (`/api/blob/...`), so the
 * engine never holds R2 credentials.
 */
import { z } from 'zod';

export const MediaKind = z.enum(['video', 'image', 'audio']);
export type MediaKind = z.infer<typeof MediaKind>;

export const ProbeRequest = z.object({ url: z.string().url() });
export const ProbeResult = z.object({
  kind: MediaKind,
  format: z.string(),
  duration_ms: z.number().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  fps: z.number().nullable(),
  rotation: z.number().int(),
  video_codec: z.string().nullable(),
  audio_codec: z.string().nullable(),
  has_audio: z.boolean(),
});
export type ProbeResult = z.infer<typeof ProbeResult>;

export const AnalyseRequest = z
  .object({
    url: z.string().url(),
    /** Content hash of the media (hex SHA-256): the analysis cache key. */
    content_hash: z.string().min(8),
    /** BCP-47 language hint for speech recognition. */
    language: z.string().default('en'),
    /** Skip speech recognition (pauses only). */
    words: z.boolean().default(true),
    /**
     * Words to bias recognition toward (the session's caption corrections: names, brands). Only
     * recognisers that support it use it (Whisper's hotwords); it is part of the cache key.
     */
    hotwords: z.string().max(1000).optional(),
    /**
     * Analyse only [start_ms, end_ms) of the source (a window of a long file, cut in a pause by
     * POST /analyse/windows): times in the answer are still source time. Both or neither.
     */
    start_ms: z.number().int().min(0).optional(),
    end_ms: z.number().int().positive().optional(),
  })
  .refine((r) => (r.start_ms === undefined) === (r.end_ms === undefined), {
    path: ['end_ms'],
    message: 'start_ms and end_ms go together',
  })
  .refine((r) => r.start_ms === undefined || r.end_ms! > r.start_ms, {
    path: ['end_ms'],
    message: 'must be after start_ms',
  });
export type AnalyseRequest = z.infer<typeof AnalyseRequest>;
export const Interval = z.object({ s: z.number(), e: z.number() });
export const Word = z.object({
  w: z.string(),
  s: z.number(),
  e: z.number(),
  conf: z.number().min(0).max(1),
  filler: z.boolean(),
});
export type Word = z.infer<typeof Word>;
export const AnalyseResult = z.object({
  content_hash: z.string(),
  duration_ms: z.number(),
  /** Silences (ms, source time), threshold relative to the clip's own loudness. */
  pauses: z.array(Interval),
  /** Speech between the pauses (ms, source time). */
  speech: z.array(Interval),
  words: z.array(Word),
  language: z.string(),
  asr_provider: z.string(),
  cached: z.boolean(),
  /** Only on the answer to a window (start_ms/end_ms asked): the window, source time. */
  start_ms: z.number().optional(),
  end_ms: z.number().optional(),
});
export type AnalyseResult = z.infer<typeof AnalyseResult>;

/** POST /analyse/windows: where to split a long file for analysis on several engines at once. */
export const AnalyseWindowsRequest = z.object({
  url: z.string().url(),
  content_hash: z.string().min(8),
  /** Target window length; cuts fall in the middle of pauses at most this far apart. */
  window_ms: z.number().int().min(5_000).max(3_600_000).default(300_000),
});
export const AnalyseWindowsResult = z.object({
  duration_ms: z.number(),
  /** Consecutive windows covering the audio, each cut inside a pause where there is one. */
  windows: z.array(Interval),
  pauses: z.number().int(),
});
export type AnalyseWindowsResult = z.infer<typeof AnalyseWindowsResult>;

/**
 * A part of a chunked render (docs/rendering.md): the picture of frames [start_frame, end_frame)
 * (video only, exactly that many frames), the whole timeline's sound (AAC in an .m4a, so the
 * seams have no clicks or gaps), or the join of the chunks and the sound into the final MP4 (plus
 * SRT, VTT and poster, as a whole render makes them). Absent: a whole render.
 */
export const RenderPart = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('video'),
    start_frame: z.number().int().nonnegative(),
    end_frame: z.number().int().positive(),
  }),
  z.object({ kind: z.literal('audio') }),
  z.object({
    kind: z.literal('join'),
    /**
     * Signed GET URLs of the video chunks' MP4s, in timeline order. Names end in `url`/`urls`, so
     * the engine's origin check covers them like every other URL (engine/src/http/auth.ts).
     */
    chunk_urls: z.array(z.string().url()).min(1).max(64),
    /** Signed GET URL of the audio part's .m4a. */
    audio_url: z.string().url(),
  }),
]);
export type RenderPart = z.infer<typeof RenderPart>;

/**
 * POST /render's body without its draft. The full schema, draft included, is RenderRequest in
 * src/render/render-request.ts: lib is the bottom layer and does not know the draft.
 */
export const RenderRequestEnvelope = z.object({
  /** media id (as in the draft's `src`) → signed GET URL. */
  inputs: z.record(z.string(), z.object({ url: z.string().url(), kind: MediaKind })),
  output: z.object({
    /** Signed PUT URL for the MP4; written only after a successful encode. */
    url: z.string().url(),
    srt_url: z.string().url().optional(),
    vtt_url: z.string().url().optional(),
    /** Signed PUT URL for the share poster (a representative frame, JPEG); best effort. */
    poster_url: z.string().url().optional(),
  }),
  /** x264 preset; the default balances speed and size for a laptop-class CPU. */
  preset: z.enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium']).optional(),
  part: RenderPart.optional(),
});
export type RenderRequestEnvelope = z.infer<typeof RenderRequestEnvelope>;

export const JobStatus = z.enum(['queued', 'rendering', 'uploading', 'done', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof JobStatus>;
export const JobState = z.object({
  job_id: z.string(),
  status: JobStatus,
  progress: z.number().min(0).max(1),
  error: z.string().optional(),
  output: z
    .object({
      size: z.number().int(),
      duration_ms: z.number(),
      captions: z.boolean(),
      /** Frames written (video chunks and joins): what the join and the Workflow check. */
      frames: z.number().int().optional(),
    })
    .optional(),
});
export type JobState = z.infer<typeof JobState>;
