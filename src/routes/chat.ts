/**
 * POST /run_sse: one chat turn as server-sent events (docs/api.md). The turn itself, its
 * validation and its retry replay live in chat-turn.ts, shared with the ADK-compatible POST /run.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../lib/app-env.ts';
import type { RouteDoc } from '../lib/openapi-registry.ts';
import { openChatTurn, RunSseBody } from './chat-turn.ts';
import { requireAuth } from './require-auth.ts';

export { AGENT_NAME, RunSseBody } from './chat-turn.ts';

export const chat = new Hono<AppEnv>();
chat.use('/run_sse', requireAuth);
chat.post('/run_sse', (c) => openChatTurn(c));

export const chatDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/run_sse',
    operationId: 'runSse',
    headers: [
      {
        name: 'Idempotency-Key',
        description:
          'Retry key: a retry with the same key (or invocation_id, or new_message.id) within 10 minutes replays the first attempt (docs/api.md, "Retried turns")',
      },
    ],
    summary:
      'One chat turn: plain English or Chinese in, timeline edits out, streamed as server-sent events in the Agent Development Kit event format (functionCall/functionResponse pairs, text parts, heartbeat every 10 s, errorCode/errorMessage on errors). Ends with a text part holding the timeline summary.',
    auth: true,
    body: RunSseBody,
    bodyType: 'application/json',
    produces: 'text/event-stream',
    tags: ['chat'],
  },
];
