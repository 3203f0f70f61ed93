/**
 * The optional LLM planner: the operations' zod schemas become JSON-schema tools for any
 * OpenAI-compatible chat-completions endpoint (or the Workers AI binding); the model's tool
 * calls come back through the same zod schemas, so a model can never apply an edit the
 * embedded planner could not. A reply without tool calls is a clarifying question.
 */
import { z } from 'zod';
import { allTools } from '../../draft/ops/index.ts';
import { summarizeTracks } from '../../draft/summary.ts';
import type { Plan, PlanCall, PlanInput, Planner } from './types.ts';

export interface ToolSpec {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** Tools as JSON schema (input side: defaults are optional for the model). */
export function toolSpecs(): ToolSpec[] {
  return allTools().map((tool) => {
    const { $schema: _s, ...parameters } = z.toJSONSchema(tool.args, { io: 'input', unrepresentable: 'any' }) as Record<
      string,
      unknown
    >;
    return { type: 'function', function: { name: tool.name, description: tool.description, parameters } };
  });
}

export function systemPrompt(input: PlanInput): string {
  const media = input.media
    .map((m, i) => `${i + 1}. ${m.media_id} "${m.name}" ${m.kind}${m.duration_ms ? ` ${m.duration_ms} ms` : ''}`)
    .join('\n');
  return [
    'You edit a video timeline by calling tools. Call one tool per requested change, in the order asked.',
    'Times are milliseconds on the timeline; volumes are fractions (35% = 0.35). Use media ids from the list.',
    'If the request is unclear, do not call tools: ask one short question instead.',
    `Reply in the language "${input.language}".`,
    `Timeline: ${summarizeTracks(input.draft, 'en')} Duration ${input.draft.d} ms, ${input.draft.w}x${input.draft.h}.`,
    `Uploaded media:\n${media || '(none)'}`,
  ].join('\n');
}

interface RawToolCall {
  name?: string;
  arguments?: unknown;
  function?: { name?: string; arguments?: unknown };
}

/** Validates the model's tool calls; an invalid call becomes a clarifying question, never an edit. */
export function validateToolCalls(raw: RawToolCall[], content: string | null | undefined): Plan {
  const tools = new Map(allTools().map((t) => [t.name, t]));
  const calls: PlanCall[] = [];
  for (const item of raw) {
    const name = item.function?.name ?? item.name ?? '';
    const rawArgs = item.function?.arguments ?? item.arguments ?? {};
    const tool = tools.get(name);
    if (!tool)
      return { calls: [], clarify: `I could not map that to an edit (unknown tool "${name}"). Could you rephrase?` };
    let args: unknown = rawArgs;
    if (typeof rawArgs === 'string') {
      try {
        args = rawArgs.trim() ? JSON.parse(rawArgs) : {};
      } catch {
        return { calls: [], clarify: `I could not read the arguments for ${name}. Could you rephrase?` };
      }
    }
    const parsed = tool.args.safeParse(args);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return {
        calls: [],
        clarify: `I need more detail for ${name} (${issue?.path.join('.') || 'args'}: ${issue?.message}). Could you say it differently?`,
      };
    }
    calls.push({ name, args: args as Record<string, unknown> });
  }
  if (calls.length === 0) return { calls: [], clarify: content?.trim() || 'What would you like to change?' };
  return { calls };
}

export interface OpenAiConfig {
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function openAiPlanner(cfg: OpenAiConfig): Planner {
  const doFetch = cfg.fetch ?? fetch;
  return {
    name: 'openai',
    async plan(input) {
      const res = await doFetch(`${cfg.baseUrl.replace(/\/$/, '')}/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(cfg.apiKey ? { authorization: `Bearer ${cfg.apiKey}` } : {}),
        },
        body: JSON.stringify({
          model: cfg.model,
          messages: [
            { role: 'system', content: systemPrompt(input) },
            { role: 'user', content: input.text },
          ],
          tools: toolSpecs(),
          tool_choice: 'auto',
          temperature: 0,
        }),
        signal: AbortSignal.timeout(cfg.timeoutMs ?? 60_000),
      });
      if (!res.ok) throw new Error(`LLM endpoint answered HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
      const body = (await res.json()) as {
        choices?: { message?: { content?: string | null; tool_calls?: RawToolCall[] } }[];
      };
      const message = body.choices?.[0]?.message;
      if (!message) throw new Error('LLM endpoint answered without choices[0].message');
      return validateToolCalls(message.tool_calls ?? [], message.content);
    },
  };
}

/** The Workers AI binding, typed loosely so the project needs no [ai] binding unless it uses it. */
export interface WorkersAiBinding {
  run(model: string, input: Record<string, unknown>): Promise<unknown>;
}

export function workersAiPlanner(ai: WorkersAiBinding, model: string): Planner {
  return {
    name: 'workers-ai',
    async plan(input) {
      const out = (await ai.run(model, {
        messages: [
          { role: 'system', content: systemPrompt(input) },
          { role: 'user', content: input.text },
        ],
        tools: toolSpecs(),
      })) as {
        response?: string | null;
        tool_calls?: RawToolCall[];
        choices?: { message?: { content?: string; tool_calls?: RawToolCall[] } }[];
      };
      const message = out.choices?.[0]?.message;
      return validateToolCalls(out.tool_calls ?? message?.tool_calls ?? [], out.response ?? message?.content);
    },
  };
}
