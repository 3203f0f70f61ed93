/** Any OpenAI-compatible POST {base}/audio/transcriptions endpoint (OpenAI, Groq, a local whisper server, ...). */
import type { RecognizedWord, SpeechRecognizer, TranscribeOptions } from './types.ts';
import { pcmFileToWav } from './wav.ts';

export interface OpenAiAsrConfig {
  baseUrl: string;
  apiKey: string;
  model: string;
}

interface VerboseJson {
  language?: string;
  words?: { word: string; start: number; end: number; probability?: number }[];
}

export function openAiRecognizer(cfg: OpenAiAsrConfig): SpeechRecognizer {
  return {
    name: 'openai',
    concurrency: 4,
    async transcribe(pcmPath: string, opts: TranscribeOptions) {
      const wav = await pcmFileToWav(pcmPath);
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(wav)], { type: 'audio/wav' }), 'audio.wav');
      form.append('model', cfg.model);
      form.append('response_format', 'verbose_json');
      form.append('timestamp_granularities[]', 'word');
      const lang = opts.language.split('-')[0];
      if (lang) form.append('language', lang);
      const res = await fetch(`${cfg.baseUrl}/audio/transcriptions`, {
        method: 'POST',
        headers: cfg.apiKey ? { authorization: `Bearer ${cfg.apiKey}` } : {},
        body: form,
        signal: opts.signal,
      });
      if (!res.ok)
        throw new Error(`transcription endpoint answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      const body = (await res.json()) as VerboseJson;
      return { words: toWords(body.words ?? []), language: normaliseLanguage(body.language, opts.language) };
    },
  };
}

export function toWords(words: { word: string; start: number; end: number; probability?: number }[]): RecognizedWord[] {
  return words
    .map((w) => ({
      w: w.word.trim(),
      s: Math.round(w.start * 1000),
      e: Math.round(w.end * 1000),
      conf: typeof w.probability === 'number' ? Math.min(1, Math.max(0, w.probability)) : 1,
    }))
    .filter((w) => w.w.length > 0);
}

const LANGUAGE_NAMES: Record<string, string> = {
  english: 'en',
  chinese: 'zh',
  japanese: 'ja',
  spanish: 'es',
  french: 'fr',
  german: 'de',
};

/** Whisper reports "english"; the API speaks BCP-47. */
export function normaliseLanguage(reported: string | undefined, hint: string): string {
  if (!reported) return hint;
  const lower = reported.toLowerCase();
  return LANGUAGE_NAMES[lower] ?? lower;
}
