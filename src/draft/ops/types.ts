/**
 * Shared shapes for the pure edit operations. An operation never does I/O: everything it
 * needs to know about the session (media list, analysis) arrives read-only in `OpContext`.
 */
import type { z } from 'zod';
import type { Draft } from '../schema.ts';

export type MediaKindName = 'video' | 'image' | 'audio';

/** What an op may know about one uploaded file. */
export interface MediaInfo {
  media_id: string;
  name: string;
  kind: MediaKindName;
  duration_ms: number | null;
  width?: number | null;
  height?: number | null;
  has_audio?: boolean | null;
}

export interface Interval {
  s: number;
  e: number;
}

export interface AnalysisWord {
  w: string;
  s: number;
  e: number;
  filler: boolean;
}

/** The subset of the engine's AnalyseResult an op uses (source times, ms). */
export interface MediaAnalysis {
  pauses: Interval[];
  speech: Interval[];
  words: AnalysisWord[];
  language?: string;
}

export interface OpContext {
  media: readonly MediaInfo[];
  /** media id → analysis; only filled for ops with `needsAnalysis`. */
  analysis: Readonly<Record<string, MediaAnalysis>>;
  /** The session's language (BCP-47), used for caption defaults. */
  language: string;
  /**
   * For ops that fit their cuts to the segment limits (fit-cuts.ts): the share of the room they
   * may take when not all their cuts fit. 1/k when k such ops are still to run in this turn, this
   * one included, so "trim the pauses and remove the ums" on an hour splits the room instead of
   * the first op taking it all. Absent: 1.
   */
  cutShare?: number;
}

/**
 * Raised by an op when the request cannot be applied; the message is shown to the user, `zh` in
 * Chinese sessions (the turn speaks the session's language, errors included).
 */
export class OpError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly zh?: string,
  ) {
    super(message);
    this.name = 'OpError';
  }
}

/** Track names of audio/layer targets, as Chinese error messages say them. */
export const TRACK_ZH: Record<string, string> = {
  all: '音频',
  video: '视频原声',
  music: '背景音乐',
  voiceover: '配音',
  captions: '字幕',
  title: '标题',
  text: '文字',
};

export interface EditOp<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  args: S;
  /** Which analysis fields the op reads; the runner fetches them first. */
  needsAnalysis?: 'pauses' | 'words';
  apply(draft: Draft, args: z.output<S>, ctx: OpContext): Draft;
  /**
   * What the turn should add to its reply about this edit of `draft` (the draft before it), when
   * the op did less than asked (trim_pauses, remove_fillers within the segment limits); null otherwise.
   */
  note?(draft: Draft, args: z.output<S>, ctx: OpContext): { en: string; zh: string } | null;
}

/** Tools that are not draft edits (undo, render, ...): the turn runner executes them. */
export interface ControlTool<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  args: S;
}
