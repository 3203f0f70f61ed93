/** Picks the speech recogniser named by ASR_PROVIDER. */
import type { EngineConfig } from '../config.ts';
import { openAiRecognizer } from './openai.ts';
import { pocketsphinxRecognizer } from './pocketsphinx.ts';
import type { SpeechRecognizer } from './types.ts';
import { workersAiRecognizer } from './workers-ai.ts';

export function createRecognizer(cfg: EngineConfig): SpeechRecognizer {
  switch (cfg.asrProvider) {
    case 'openai':
      return openAiRecognizer({ baseUrl: cfg.asrBaseUrl, apiKey: cfg.asrApiKey, model: cfg.asrModel });
    case 'workers-ai':
      if (!cfg.cfAccountId || !cfg.cfApiToken)
        throw new Error('ASR_PROVIDER=workers-ai needs CF_ACCOUNT_ID and CF_API_TOKEN');
      return workersAiRecognizer({ accountId: cfg.cfAccountId, apiToken: cfg.cfApiToken, baseUrl: cfg.cfApiBaseUrl });
    default:
      return pocketsphinxRecognizer(cfg.pocketsphinxModelDir);
  }
}
