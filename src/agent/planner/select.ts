/** Picks the planner from configuration: PLANNER = "embedded" (default) | "openai" | "workers-ai". */
import { embeddedPlanner } from './embedded.ts';
import { openAiPlanner, type WorkersAiBinding, workersAiPlanner } from './llm.ts';
import type { Planner } from './types.ts';

export interface PlannerEnv {
  PLANNER?: string;
  LLM_BASE_URL?: string;
  LLM_MODEL?: string;
  LLM_API_KEY?: string;
  /** Workers AI binding; only present when wrangler.toml declares an [ai] binding. */
  AI?: WorkersAiBinding;
}

export function selectPlanner(env: PlannerEnv): Planner {
  switch ((env.PLANNER ?? 'embedded').trim().toLowerCase()) {
    case 'openai':
      if (!env.LLM_BASE_URL || !env.LLM_MODEL) throw new Error('PLANNER=openai needs LLM_BASE_URL and LLM_MODEL');
      return openAiPlanner({ baseUrl: env.LLM_BASE_URL, model: env.LLM_MODEL, apiKey: env.LLM_API_KEY || undefined });
    case 'workers-ai':
      if (!env.AI) throw new Error('PLANNER=workers-ai needs an [ai] binding named AI in wrangler.toml');
      return workersAiPlanner(env.AI, env.LLM_MODEL || '@cf/meta/llama-3.3-70b-instruct-fp8-fast');
    default:
      return embeddedPlanner;
  }
}
