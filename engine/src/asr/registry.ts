/**
 * Picks the speech recogniser named by ASR_PROVIDER, and the voice-activity detector that goes
 * with it. The default is Whisper in the Python speech worker; when setup could not install it
 * (no Python, no model) the engine says why once and falls back to pocketsphinx, so analysis
 * still works, with worse words, rather than not at all.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { energyDetector } from '../analyse/energy-vad.ts';
import { slicedDetector } from '../analyse/sliced-vad.ts';
import type { EngineConfig } from '../config.ts';
import { openAiRecognizer } from './openai.ts';
import { pocketsphinxRecognizer } from './pocketsphinx.ts';
import { SpeechWorker } from './speech-worker.ts';
import type { SpeechRecognizer, VoiceActivityDetector } from './types.ts';
import { sileroDetector, whisperRecognizer } from './whisper.ts';
import { workersAiRecognizer } from './workers-ai.ts';

const WORKER_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'asr-worker', 'worker.py');

export interface SpeechStack {
  recognizer: SpeechRecognizer;
  vad: VoiceActivityDetector;
  /** Present when the Python worker is in use (health, restarts). */
  worker?: SpeechWorker;
  /** Why the configured provider is not the one in use, if it is not. */
  fallbackReason?: string;
}

/** The Whisper model directory to load, or why there is none. */
export function whisperModelDir(cfg: EngineConfig): { dir: string; name: string } | { missing: string } {
  const dir = cfg.asrModelDir || join(cfg.modelsDir, cfg.asrModel);
  const name = cfg.asrModelDir ? cfg.asrModelDir.split('/').filter(Boolean).at(-1)! : cfg.asrModel;
  if (!existsSync(cfg.python))
    return { missing: `no Python for the speech worker at ${cfg.python} (run npm run setup)` };
  if (!existsSync(join(dir, 'model.bin'))) return { missing: `no Whisper model at ${dir} (run npm run setup)` };
  return { dir, name };
}

export function createSpeechStack(cfg: EngineConfig, log: (line: string) => void = console.warn): SpeechStack {
  switch (cfg.asrProvider) {
    case 'openai':
      return {
        recognizer: openAiRecognizer({ baseUrl: cfg.asrBaseUrl, apiKey: cfg.asrApiKey, model: cfg.asrModel }),
        vad: energyDetector,
      };
    case 'workers-ai':
      if (!cfg.cfAccountId || !cfg.cfApiToken)
        throw new Error('ASR_PROVIDER=workers-ai needs CF_ACCOUNT_ID and CF_API_TOKEN');
      return {
        recognizer: workersAiRecognizer({
          accountId: cfg.cfAccountId,
          apiToken: cfg.cfApiToken,
          baseUrl: cfg.cfApiBaseUrl,
        }),
        vad: energyDetector,
      };
    case 'pocketsphinx':
      return { recognizer: pocketsphinxRecognizer(cfg.pocketsphinxModelDir), vad: energyDetector };
    default: {
      const model = whisperModelDir(cfg);
      if ('missing' in model) {
        log(`engine: speech recognition falls back to pocketsphinx: ${model.missing}`);
        return {
          recognizer: pocketsphinxRecognizer(cfg.pocketsphinxModelDir),
          vad: energyDetector,
          fallbackReason: model.missing,
        };
      }
      const worker = new SpeechWorker({
        python: cfg.python,
        script: WORKER_SCRIPT,
        modelDir: model.dir,
        modelName: model.name,
        threads: cfg.asrThreads,
      });
      // Sliced: the worker never holds more than VAD_SLICE_MS of audio for voice activity.
      return { recognizer: whisperRecognizer(worker, model.name), vad: slicedDetector(sileroDetector(worker)), worker };
    }
  }
}
