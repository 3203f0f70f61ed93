/**
 * The LLM planner's HTTP client against a small local server speaking the OpenAI chat-completions
 * protocol with tool calling (the Workers runtime cannot listen on a port, so this runs in Node).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAiPlanner, toolSpecs, workersAiPlanner } from '../../src/agent/planner/llm.ts';
import { selectPlanner } from '../../src/agent/planner/select.ts';
import type { PlanInput } from '../../src/agent/planner/types.ts';
import { DraftSchema } from '../../src/draft/schema.ts';

interface Seen {
  auth?: string;
  body: {
    model: string;
    messages: { role: string; content: string }[];
    tools: { type: string; function: { name: string; parameters: Record<string, unknown> } }[];
  };
}

const seen: Seen[] = [];
let server: Server;
let baseUrl = '';

const toolCall = (name: string, args: unknown) => ({
  id: `call_${name}`,
  type: 'function',
  function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) },
});

/** Canned model answers keyed by the user's message. */
function answer(text: string): { status: number; body: unknown } {
  const msg = (m: Record<string, unknown>) => ({
    status: 200,
    body: {
      id: 'x',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: null, ...m }, finish_reason: 'tool_calls' }],
    },
  });
  switch (text) {
    case 'trim the pauses and add music at 35%':
      return msg({
        tool_calls: [
          toolCall('trim_pauses', { min_silence_ms: 800 }),
          toolCall('add_music', { media_id: 'med_m', volume: 0.35 }),
        ],
      });
    case 'louder music please':
      return msg({ tool_calls: [toolCall('set_volume', { target: 'music', volume: 7 })] });
    case 'do the thing':
      return msg({ content: 'Which thing: captions, music or a title?' });
    case 'invent':
      return msg({ tool_calls: [toolCall('make_it_viral', {})] });
    case 'garbled':
      return msg({ tool_calls: [toolCall('fade', '{not json')] });
    default:
      return { status: 500, body: { error: { message: 'model overloaded' } } };
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    const body = JSON.parse(await readBody(req)) as Seen['body'];
    seen.push({ auth: req.headers.authorization, body });
    const reply = answer(body.messages.at(-1)!.content);
    res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const input = (text: string): PlanInput => ({
  text,
  language: 'en',
  draft: DraftSchema.parse({
    w: 1080,
    h: 1920,
    d: 10_000,
    t: [{ id: 'v1', tt: 0, m: { name: 'talk' }, sg: [{ id: 's1', src: 'med_a', s: 0, d: 10_000 }] }],
  }),
  media: [
    { media_id: 'med_a', name: 'talk.mp4', kind: 'video', duration_ms: 10_000 },
    { media_id: 'med_m', name: 'lofi.mp3', kind: 'audio', duration_ms: 60_000 },
  ],
});

describe('OpenAI-compatible planner', () => {
  it('sends the ops as JSON-schema tools and validates the tool calls back', async () => {
    const planner = openAiPlanner({ baseUrl, model: 'test-model', apiKey: 'sk-test' });
    const plan = await planner.plan(input('trim the pauses and add music at 35%'));
    expect(plan).toEqual({
      calls: [
        { name: 'trim_pauses', args: { min_silence_ms: 800 } },
        { name: 'add_music', args: { media_id: 'med_m', volume: 0.35 } },
      ],
    });
    const req = seen.at(-1)!;
    expect(req.auth).toBe('Bearer sk-test');
    expect(req.body.model).toBe('test-model');
    expect(req.body.messages[0]!.content).toMatch(/med_m "lofi\.mp3" audio/);
    expect(req.body.messages[0]!.content).toMatch(/Timeline \(1 track\): 1\. Video: talk/);
    const names = req.body.tools.map((t) => t.function.name);
    expect(names).toEqual(
      expect.arrayContaining(['trim_pauses', 'add_captions', 'add_music', 'set_aspect', 'undo', 'render']),
    );
    const music = req.body.tools.find((t) => t.function.name === 'add_music')!.function.parameters;
    expect(music).toMatchObject({
      type: 'object',
      required: ['media_id'],
      properties: { volume: { type: 'number', maximum: 1 } },
    });
  });

  it('an out-of-range argument becomes a question, not an edit', async () => {
    const plan = await openAiPlanner({ baseUrl, model: 'm' }).plan(input('louder music please'));
    expect(plan.calls).toEqual([]);
    expect(plan.clarify).toMatch(/set_volume \(volume: /);
    expect(seen.at(-1)!.auth).toBeUndefined();
  });

  it('a reply without tool calls is a clarifying question', async () => {
    const plan = await openAiPlanner({ baseUrl, model: 'm' }).plan(input('do the thing'));
    expect(plan).toEqual({ calls: [], clarify: 'Which thing: captions, music or a title?' });
  });

  it('unknown tools and unreadable arguments are refused', async () => {
    expect((await openAiPlanner({ baseUrl, model: 'm' }).plan(input('invent'))).clarify).toMatch(
      /unknown tool "make_it_viral"/,
    );
    expect((await openAiPlanner({ baseUrl, model: 'm' }).plan(input('garbled'))).clarify).toMatch(/arguments for fade/);
  });

  it('an HTTP error is an error (the turn reports it and changes nothing)', async () => {
    await expect(openAiPlanner({ baseUrl, model: 'm' }).plan(input('boom'))).rejects.toThrow(/HTTP 500/);
  });
});

describe('planner selection', () => {
  it('defaults to the embedded planner', () => {
    expect(selectPlanner({}).name).toBe('embedded');
    expect(selectPlanner({ PLANNER: 'embedded' }).name).toBe('embedded');
  });
  it('openai needs a base URL and a model', () => {
    expect(selectPlanner({ PLANNER: 'openai', LLM_BASE_URL: baseUrl, LLM_MODEL: 'm' }).name).toBe('openai');
    expect(() => selectPlanner({ PLANNER: 'openai' })).toThrow(/LLM_BASE_URL/);
  });
  it('workers-ai needs the AI binding and reads its tool calls', async () => {
    expect(() => selectPlanner({ PLANNER: 'workers-ai' })).toThrow(/\[ai\] binding/);
    const runs: unknown[] = [];
    const ai = {
      run: async (model: string, body: Record<string, unknown>) => {
        runs.push({ model, body });
        return { response: null, tool_calls: [{ name: 'set_aspect', arguments: { aspect: '1:1' } }] };
      },
    };
    const planner = selectPlanner({ PLANNER: 'workers-ai', AI: ai });
    expect(await planner.plan(input('square'))).toEqual({ calls: [{ name: 'set_aspect', args: { aspect: '1:1' } }] });
    expect(await workersAiPlanner({ run: async () => ({ response: 'Which clip?' }) }, 'm').plan(input('x'))).toEqual({
      calls: [],
      clarify: 'Which clip?',
    });
    expect(toolSpecs().length).toBe((runs[0] as { body: { tools: unknown[] } }).body.tools.length);
  });
});
