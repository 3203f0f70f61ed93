/**
 * The default recogniser: Whisper (faster-whisper, int8 on the CPU) in the Python speech worker.
 * Words keep Whisper's punctuation and casing (captions show them). Chinese answers arrive in
 * simplified characters (traditional for zh-TW/zh-HK/zh-Hant sessions): Whisper mixes the two,
 * the worker converts. Fillers, which Whisper tends to drop, are kept by the worker's prompt.
 */
import type { SpeechWorker } from './speech-worker.ts';
import type { RecognizedWord, Span, SpeechRecognizer, TranscribeOptions, VoiceActivityDetector } from './types.ts';

interface WorkerWord {
  w: string;
  s: number;
  e: number;
  p: number;
}

/** zh-TW, zh-HK, zh-MO and zh-Hant read traditional characters; every other Chinese tag simplified. */
export function chineseScript(language: string): 'simplified' | 'traditional' {
  return /^zh-(hant|tw|hk|mo)\b/i.test(language) ? 'traditional' : 'simplified';
}

export function whisperRecognizer(worker: SpeechWorker, model: string): SpeechRecognizer {
  return {
    name: 'whisper',
    model,
    // One decode at a time, each using every core (the worker's intra-op threads).
    concurrency: 1,
    languages: model.endsWith('.en') ? ['en'] : undefined,
    async transcribe(pcmPath: string, opts: TranscribeOptions) {
      const primary = opts.language.split('-')[0]!.toLowerCase();
      const out = await worker.request(
        'transcribe',
        {
          pcm: pcmPath,
          language: primary || null,
          script: chineseScript(opts.language),
          hotwords: opts.hotwords ?? null,
        },
        opts.signal,
      );
      const words = (out.words as WorkerWord[]).map((w) => ({
        w: w.w,
        s: w.s,
        e: Math.max(w.e, w.s + 1),
        conf: Math.min(1, Math.max(0, w.p)),
      })) satisfies RecognizedWord[];
      return { words, language: String(out.language ?? primary) };
    },
  };
}

/** Silero VAD (the ONNX model faster-whisper ships), run by the same worker. */
export function sileroDetector(worker: SpeechWorker): VoiceActivityDetector {
  return {
    name: 'silero',
    async speech(pcmPath, opts) {
      const out = await worker.request(
        'vad',
        { pcm: pcmPath, min_silence_ms: opts.minSilenceMs, threshold: 0.5, min_speech_ms: 90 },
        opts.signal,
      );
      return out.speech as Span[];
    },
  };
}
