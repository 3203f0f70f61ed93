/** Cloudflare Workers AI over its REST API: @cf/openai/whisper-large-v3-turbo. */
import { normaliseLanguage, toWords } from './openai.ts';
import type { SpeechRecognizer, TranscribeOptions } from './types.ts';
import { pcmFileToWav } from './wav.ts';

export const WORKERS_AI_WHISPER = '@cf/openai/whisper-large-v3-turbo';

export interface WorkersAiConfig {
  accountId: string;
  apiToken: string;
  /** https://api.cloudflare.com/client/v4 in production; a local server in tests. */
  baseUrl: string;
}

interface WhisperResult {
  success?: boolean;
  errors?: { message?: string }[];
  result?: {
    transcription_info?: { language?: string };
    segments?: { words?: { word: string; start: number; end: number }[] }[];
  };
}

export function workersAiRecognizer(cfg: WorkersAiConfig): SpeechRecognizer {
  return {
    name: 'workers-ai',
    concurrency: 4,
    async transcribe(pcmPath: string, opts: TranscribeOptions) {
      const wav = await pcmFileToWav(pcmPath);
      const lang = opts.language.split('-')[0];
      const res = await fetch(`${cfg.baseUrl}/accounts/${cfg.accountId}/ai/run/${WORKERS_AI_WHISPER}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${cfg.apiToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          audio: wav.toString('base64'),
          task: 'transcribe',
          ...(lang ? { language: lang } : {}),
        }),
        signal: opts.signal,
      });
      const body = (await res.json().catch(() => ({}))) as WhisperResult;
      if (!res.ok || body.success === false) {
        throw new Error(`Workers AI answered ${res.status}: ${body.errors?.[0]?.message ?? 'no result'}`);
      }
      const words = (body.result?.segments ?? []).flatMap((seg) => seg.words ?? []);
      return {
        words: toWords(words),
        language: normaliseLanguage(body.result?.transcription_info?.language, opts.language),
      };
    },
  };
}
