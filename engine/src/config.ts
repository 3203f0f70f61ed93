/** Engine configuration, read once from the environment. */
import { resolve } from 'node:path';

export interface EngineConfig {
  host: string;
  port: number;
  cacheDir: string;
  asrProvider: 'pocketsphinx' | 'openai' | 'workers-ai';
  /** OpenAI-compatible endpoint base, e.g. https://api.openai.com/v1 */
  asrBaseUrl: string;
  asrApiKey: string;
  asrModel: string;
  cfAccountId: string;
  cfApiToken: string;
  cfApiBaseUrl: string;
  pocketsphinxModelDir: string;
  /** Shortest silence counted as a pause. */
  minPauseMs: number;
  /** Longest piece of audio sent to the recogniser at once. */
  asrChunkMs: number;
  /** Pause threshold: this many dB below the clip's speech level. */
  pauseBelowSpeechDb: number;
  fontLatin: string;
  fontCjk: string;
  defaultPreset: string;
  /** Renders encoding at once; one x264 encode already uses every core. */
  maxRenders: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): EngineConfig {
  const provider = env.ASR_PROVIDER ?? 'pocketsphinx';
  if (provider !== 'pocketsphinx' && provider !== 'openai' && provider !== 'workers-ai') {
    throw new Error(`ASR_PROVIDER must be pocketsphinx, openai or workers-ai (got ${provider})`);
  }
  return {
    host: env.ENGINE_HOST ?? '127.0.0.1',
    port: Number(env.ENGINE_PORT ?? 8788),
    cacheDir: resolve(env.ENGINE_CACHE_DIR ?? '.engine-cache'),
    asrProvider: provider,
    asrBaseUrl: (env.ASR_BASE_URL ?? 'https://api.openai.com/v1').replace(/\/+$/, ''),
    asrApiKey: env.ASR_API_KEY ?? '',
    asrModel: env.ASR_MODEL ?? 'whisper-1',
    cfAccountId: env.CF_ACCOUNT_ID ?? '',
    cfApiToken: env.CF_API_TOKEN ?? '',
    cfApiBaseUrl: (env.CF_API_BASE_URL ?? 'https://api.cloudflare.com/client/v4').replace(/\/+$/, ''),
    pocketsphinxModelDir: env.POCKETSPHINX_MODEL_DIR ?? '/usr/share/pocketsphinx/model/en-us',
    minPauseMs: Number(env.ENGINE_MIN_PAUSE_MS ?? 400),
    asrChunkMs: Number(env.ENGINE_ASR_CHUNK_MS ?? 60_000),
    pauseBelowSpeechDb: Number(env.ENGINE_PAUSE_BELOW_SPEECH_DB ?? 25),
    fontLatin: env.ENGINE_FONT_LATIN ?? '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
    fontCjk: env.ENGINE_FONT_CJK ?? '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
    defaultPreset: env.ENGINE_X264_PRESET ?? 'veryfast',
    maxRenders: Math.max(1, Number(env.ENGINE_MAX_RENDERS ?? 1)),
  };
}
