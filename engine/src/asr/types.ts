/** Speech recognition behind one interface; providers are chosen by configuration. */

export interface RecognizedWord {
  w: string;
  /** Start and end in ms, relative to the start of the audio given. */
  s: number;
  e: number;
  /** 0..1; providers without a confidence report 1. */
  conf: number;
  /** The recogniser itself says this is a filler (e.g. pocketsphinx ++UM++). */
  filler?: boolean;
}

export interface TranscribeOptions {
  /** BCP-47 hint, e.g. "en" or "zh". */
  language: string;
  /** Words to bias recognition toward; recognisers without such a feature ignore them. */
  hotwords?: string;
  signal?: AbortSignal;
}

/** Speech against silence, room tone, breaths and music beds: the basis of every pause cut. */
export interface VoiceActivityDetector {
  readonly name: string;
  /** Speech intervals (ms) in raw s16le 16 kHz mono; gaps shorter than `minSilenceMs` are bridged. */
  speech(pcmPath: string, opts: { durationMs: number; minSilenceMs: number; signal?: AbortSignal }): Promise<Span[]>;
}

export interface Span {
  s: number;
  e: number;
}

export interface SpeechRecognizer {
  readonly name: string;
  /** The model in use, for /health and the analysis cache key ("base", "tiny.en"). */
  readonly model?: string;
  /** How many chunks may run at once (CPU-bound local recognisers: one per core). */
  readonly concurrency: number;
  /** Primary language subtags it can recognise ("en"); undefined = any (Whisper-class providers). */
  readonly languages?: readonly string[];
  /** `pcmPath`: raw s16le, 16 kHz, mono. */
  transcribe(pcmPath: string, opts: TranscribeOptions): Promise<{ words: RecognizedWord[]; language: string }>;
}
