/**
 * The one draft (timeline) schema, shared by the Worker, the agent and the media engine.
 * Compact keys as in docs/api.md: `t` tracks, `tt` track type, `sg` segments, `d` duration (ms),
 * `s` start on the timeline (ms), `in` in-point in the source (ms), `m` metadata.
 * Unknown metadata keys are kept (passthrough) so clients of the service we replace can
 * round-trip fields we do not use yet.
 */
import { z } from 'zod';
import { DRAFT_LIMITS as L, segmentLimitProblem } from './limits.ts';

import { TrackType } from './track-type.ts';

export { TrackType, type TrackTypeCode } from './track-type.ts';

export const OUTPUT_SIZES = {
  '16:9': { w: 1920, h: 1080 },
  '9:16': { w: 1080, h: 1920 },
  '1:1': { w: 1080, h: 1080 },
  '4:5': { w: 1080, h: 1350 },
} as const;
export type AspectRatio = keyof typeof OUTPUT_SIZES;

// Bounded, not only finite: 1e308 is finite. Limits in ./limits.ts (documented in docs/security.md).
const ms = z.number().finite().nonnegative().max(L.maxMs);
const positiveMs = z.number().finite().positive().max(L.maxMs);
const volume = z.number().min(0).max(4);
const id = z.string().min(1).max(L.maxIdChars);
const text = z.string().max(L.maxTextChars, `at most ${L.maxTextChars} characters per text`);

/** A segment of a video track: a video clip or a still image from the session's media. */
export const VisualSegmentSchema = z.object({
  id,
  src: id,
  s: ms,
  d: positiveMs,
  in: ms.default(0),
  m: z
    .object({
      fit: z.enum(['cover', 'contain']).default('cover'),
      speed: z.number().min(0.25).max(4).default(1),
      volume: volume.optional(),
      fade_in: ms.optional(),
      fade_out: ms.optional(),
      /**
       * Set by sliceDraft (chunked renders) on a piece of a segment cut by a chunk boundary: the
       * piece starts `head_frames` frames into the segment, which lasted `whole_d` ms, so its fades
       * keep the phase they have in a whole render (src/draft/slice-draft.ts).
       */
      slice: z.object({ head_frames: z.number().int().nonnegative().max(L.maxMs), whole_d: positiveMs }).optional(),
    })
    .passthrough()
    .default({ fit: 'cover', speed: 1 }),
});

export const AudioSegmentSchema = z.object({
  id,
  src: id,
  s: ms,
  d: positiveMs,
  in: ms.default(0),
  m: z
    .object({
      volume: volume.optional(),
      fade_in: ms.optional(),
      fade_out: ms.optional(),
      loop: z.boolean().optional(),
      speed: z.number().min(0.25).max(4).optional(),
    })
    .passthrough()
    .default({}),
});

/** One word of a caption, for current-word highlighting (times on the timeline, ms). */
export const CaptionWordSchema = z.object({ w: z.string().max(L.maxIdChars), s: ms, e: ms });

export const TextSegmentSchema = z.object({
  id,
  text,
  s: ms,
  d: positiveMs,
  m: z
    .object({
      /** Absent: titles sit in the centre, captions at the bottom (each renderer's own default). */
      pos: z.enum(['top', 'center', 'bottom']).optional(),
      size: z.number().positive().max(400).optional(),
      color: z
        .string()
        .regex(/^#[0-9a-fA-F]{6}$/, 'color must be #rrggbb')
        .optional(),
      fade_in: ms.optional(),
      fade_out: ms.optional(),
      words: z.array(CaptionWordSchema).max(L.maxCaptionWords).optional(),
    })
    .passthrough()
    .default({}),
});

const trackMeta = z
  .object({
    name: z.string().max(L.maxIdChars).optional(),
    volume: volume.optional(),
    muted: z.boolean().optional(),
    /** Text tracks: "caption" marks captions (burned in through libass, written as SRT/VTT). */
    kind: z.string().max(L.maxIdChars).optional(),
    /** Audio tracks: lower this track while speech plays on video tracks. */
    duck: z.boolean().optional(),
    language: z.string().max(L.maxIdChars).optional(),
  })
  .passthrough()
  .default({});

export const VideoTrackSchema = z.object({
  id,
  tt: z.literal(0),
  m: trackMeta,
  sg: z.array(VisualSegmentSchema),
});
export const AudioTrackSchema = z.object({
  id,
  tt: z.literal(1),
  m: trackMeta,
  sg: z.array(AudioSegmentSchema),
});
export const TextTrackSchema = z.object({
  id,
  tt: z.literal(7),
  m: trackMeta,
  sg: z.array(TextSegmentSchema),
});

export const TrackSchema = z.discriminatedUnion('tt', [VideoTrackSchema, AudioTrackSchema, TextTrackSchema]);

export const DraftSchema = z
  .object({
    v: z.literal(1).default(1),
    w: z.number().int().min(16).max(3840),
    h: z.number().int().min(16).max(3840),
    fps: z.number().min(L.minFps).max(L.maxFps).default(30),
    d: ms,
    t: z.array(TrackSchema).max(L.maxTracks),
    m: z
      .object({
        /** EBU R128 loudness normalisation target, e.g. -14 (LUFS). Absent = off. */
        loudness_lufs: z.number().min(-40).max(-5).optional(),
        denoise: z.boolean().optional(),
        fade_in: ms.optional(),
        fade_out: ms.optional(),
        title: text.optional(),
        /**
         * Render only frames [start_frame, end_frame) of this timeline (a chunk of a parallel
         * render; src/draft/slice-draft.ts). Times in the draft stay those of the whole timeline.
         */
        window: z
          .object({
            start_frame: z.number().int().nonnegative().max(L.maxMs),
            end_frame: z.number().int().positive().max(L.maxMs),
          })
          .refine((w) => w.end_frame > w.start_frame, 'end_frame must be after start_frame')
          .optional(),
        /**
         * Caption corrections of this session ("cards" → "Carl's"), applied to captions and the
         * transcript now and whenever captions are made again (src/draft/ops/glossary.ts).
         */
        glossary: z
          .array(z.object({ from: z.string().min(1).max(200), to: z.string().max(200) }))
          .max(200)
          .optional(),
      })
      .passthrough()
      .optional(),
  })
  .superRefine((draft, ctx) => {
    const tooMany = segmentLimitProblem(draft.t);
    if (tooMany) ctx.addIssue({ code: 'custom', ...tooMany });
    const ids = new Set<string>();
    draft.t.forEach((track, ti) => {
      if (ids.has(track.id))
        ctx.addIssue({ code: 'custom', path: ['t', ti, 'id'], message: `duplicate track id ${track.id}` });
      ids.add(track.id);
      track.sg.forEach((seg, si) => {
        if (ids.has(seg.id))
          ctx.addIssue({ code: 'custom', path: ['t', ti, 'sg', si, 'id'], message: `duplicate segment id ${seg.id}` });
        ids.add(seg.id);
      });
    });
  });

export type Draft = z.infer<typeof DraftSchema>;
export type DraftInput = z.input<typeof DraftSchema>;
export type Track = z.infer<typeof TrackSchema>;
export type VideoTrack = z.infer<typeof VideoTrackSchema>;
export type AudioTrack = z.infer<typeof AudioTrackSchema>;
export type TextTrack = z.infer<typeof TextTrackSchema>;
export type VisualSegment = z.infer<typeof VisualSegmentSchema>;
export type AudioSegment = z.infer<typeof AudioSegmentSchema>;
export type TextSegment = z.infer<typeof TextSegmentSchema>;
export type CaptionWord = z.infer<typeof CaptionWordSchema>;

/** An empty 1080p vertical draft, the default for a new session (most creators post 9:16). */
export function emptyDraft(aspect: AspectRatio = '9:16'): Draft {
  const { w, h } = OUTPUT_SIZES[aspect];
  return { v: 1, w, h, fps: 30, d: 0, t: [] };
}

/** The draft's duration: the end of its last segment on any track (ms). */
export function computeDurationMs(draft: Pick<Draft, 't'>): number {
  let end = 0;
  for (const track of draft.t) for (const seg of track.sg) end = Math.max(end, seg.s + seg.d);
  return Math.round(end);
}

/** Every media id the draft refers to (for checking against the session's media). */
export function referencedMedia(draft: Draft): string[] {
  const ids = new Set<string>();
  for (const track of draft.t) if (track.tt !== TrackType.text) for (const seg of track.sg) ids.add(seg.src);
  return [...ids];
}
