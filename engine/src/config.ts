/** Engine configuration, read once from the environment. */
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: setup installs the speech worker's venv and models here. */
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface EngineConfig {
  host: string;
  port: number;
  cacheDir: string;
  asrProvider: 'whisper' | 'pocketsphinx' | 'openai' | 'workers-ai';
  /** OpenAI-compatible endpoint base, e.g. https://api.openai.com/v1 */
  asrBaseUrl: string;
  asrApiKey: string;
  /** openai: the remote model (whisper-1); whisper: an installed model under modelsDir (base, tiny.en). */
  asrModel: string;
  /** whisper: any CTranslate2 Whisper model directory; overrides asrModel. */
  asrModelDir: string;
  /** Where setup assembles the Whisper models (one directory per model). */
  modelsDir: string;
  /** The venv interpreter that runs engine/asr-worker/worker.py. */
  python: string;
  /** CPU threads for the speech worker (CTranslate2 intra-op threads). */
  asrThreads: number;
  cfAccountId: string;
  cfApiToken: string;
  cfApiBaseUrl: string;
  pocketsphinxModelDir: string;
  /** Shortest silence counted as a pause. */
  minPauseMs: number;
  /** Longest piece of audio sent to the recogniser at once. */
  asrChunkMs: number;
  fontLatin: string;
  fontCjk: string;
  defaultPreset: string;
  /** Renders encoding at once; one x264 encode already uses every core. */
  maxRenders: number;
  /** Analyses computing at once, engine-wide; the speech worker already uses every core. */
  maxAnalyses: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): EngineConfig {
  const provider = env.ASR_PROVIDER || 'whisper';
  if (provider !== 'whisper' && provider !== 'pocketsphinx' && provider !== 'openai' && provider !== 'workers-ai') {
    throw new Error(`ASR_PROVIDER must be whisper, pocketsphinx, openai or workers-ai (got ${provider})`);
  }
  return {
    host: env.ENGINE_HOST ?? '127.0.0.1',
    port: Number(env.ENGINE_PORT ?? 8788),
    cacheDir: resolve(env.ENGINE_CACHE_DIR ?? '.engine-cache'),
    asrProvider: provider,
    asrBaseUrl: (env.ASR_BASE_URL ?? 'https://api.openai.com/v1').replace(/\/+$/, ''),
    asrApiKey: env.ASR_API_KEY ?? '',
    asrModel: env.ASR_MODEL || (provider === 'openai' ? 'whisper-1' : 'base'),
    asrModelDir: env.ASR_MODEL_DIR ? resolve(env.ASR_MODEL_DIR) : '',
    modelsDir: resolve(env.ENGINE_MODELS_DIR || join(ROOT, '.models')),
    python: env.ENGINE_PYTHON || join(ROOT, '.venv', 'bin', 'python'),
    asrThreads: Math.max(1, Number(env.ASR_THREADS) || availableParallelism()),
    cfAccountId: env.CF_ACCOUNT_ID ?? '',
    cfApiToken: env.CF_API_TOKEN ?? '',
    cfApiBaseUrl: (env.CF_API_BASE_URL ?? 'https://api.cloudflare.com/client/v4').replace(/\/+$/, ''),
    pocketsphinxModelDir: env.POCKETSPHINX_MODEL_DIR ?? '/usr/share/pocketsphinx/model/en-us',
    minPauseMs: Number(env.ENGINE_MIN_PAUSE_MS ?? 400),
    asrChunkMs: Number(env.ENGINE_ASR_CHUNK_MS ?? 60_000),
    fontLatin: env.ENGINE_FONT_LATIN ?? '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
    fontCjk: env.ENGINE_FONT_CJK ?? '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
    defaultPreset: env.ENGINE_X264_PRESET ?? 'veryfast',
    maxRenders: Math.max(1, Number(env.ENGINE_MAX_RENDERS ?? 1)),
    maxAnalyses: Math.max(1, Number(env.ENGINE_MAX_ANALYSES) || 1),
  };
}
