/**
 * The session routes of the Agent Development Kit's API server (google/adk-python,
 * src/google/adk/cli/fast_api.py), on top of our sessions, so that an ADK web or API client can
 * create a session, chat through /run_sse or /run, read and delete it (docs/api.md, "ADK
 * compatibility"). Answers are ADK's shapes (camelCase Session and Event objects, no envelope);
 * errors keep our envelope, with the HTTP status ADK clients look at.
 *
 * Only the bearer token decides the user: the `{user}` path segment is accepted (ADK clients
 * always send one, often "user") but never used to find data, and answers carry the real user id.
 */
import { createParser } from 'eventsource-parser';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AdkEvent } from '../agent/sse.ts';
import type { SessionRecord } from '../durable/sessions.ts';
import type { AppEnv } from '../lib/app-env.ts';
import { AppError, ErrorCode } from '../lib/errors.ts';
import type { RouteDoc } from '../lib/openapi-registry.ts';
import { parseJson, parseWith } from '../lib/validate.ts';
import { AGENT_NAME, openChatTurn, RunSseBody } from './chat-turn.ts';
import { requireAuth } from './require-auth.ts';
import { CreateSessionBody } from './sessions.ts';

/** Our one agent; ADK's list-apps lists agent folders, ours is this name. */
const APPS = [AGENT_NAME];

const SessionId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'session id: 1-64 letters, digits, "_" or "-"');

/**
 * ADK's create-session body: `{state, sessionId, events}` (ADK 1.x's CreateSessionRequest); older
 * servers took the state dict itself as the body of the with-id route, so other keys are read as
 * state. Ours reads `language` and `task_name` from the state.
 */
const CreateAdkSession = z
  .object({
    state: z.record(z.string(), z.unknown()).nullish(),
    sessionId: SessionId.nullish(),
    session_id: SessionId.nullish(),
    events: z
      .array(z.unknown())
      .max(0, 'seeding a session with events is not supported: send messages through /run or /run_sse')
      .nullish(),
  })
  .catchall(z.unknown());

export const AdkEventSchema = z.object({
  id: z.string(),
  invocationId: z.string(),
  author: z.string(),
  timestamp: z.number(),
  partial: z.boolean().optional(),
  turnComplete: z.boolean().optional(),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
  content: z
    .object({ role: z.string(), parts: z.array(z.record(z.string(), z.unknown())) })
    .optional()
    .describe('parts: {text} | {functionCall: {id, name, args}} | {functionResponse: {id, name, response}}'),
  actions: z.record(z.string(), z.unknown()).optional(),
});

export const AdkSessionSchema = z.object({
  id: z.string(),
  appName: z.string(),
  userId: z.string().describe('The user the bearer token belongs to, whatever the path said'),
  state: z.object({
    task_id: z.string(),
    task_name: z.string(),
    language: z.string(),
    draft_version: z.number().int(),
  }),
  events: z.array(AdkEventSchema),
  lastUpdateTime: z.number().describe('Seconds since the epoch'),
});

function checkApp(app: string): void {
  if (!APPS.includes(app)) throw new AppError(ErrorCode.NOT_FOUND, `Unknown app ${app}: GET /list-apps lists ours`);
}

function toAdkSession(userId: string, s: SessionRecord, events: AdkEvent[] = []): z.infer<typeof AdkSessionSchema> {
  return {
    id: s.session_id,
    appName: AGENT_NAME,
    userId,
    state: { task_id: s.task_id, task_name: s.task_name, language: s.language, draft_version: s.draft_version },
    events,
    lastUpdateTime: s.updated_at / 1000,
  };
}

/** The stored chat as ADK events: the user's messages and each turn's closing text. */
function chatEvents(sessionId: string, rows: { role: string; text: string; at: number }[]): AdkEvent[] {
  return rows.map((r, i) => ({
    id: `${sessionId}-h${i}`,
    invocationId: '',
    author: r.role === 'user' ? 'user' : AGENT_NAME,
    timestamp: r.at / 1000,
    content: { role: r.role === 'user' ? 'user' : 'model', parts: [{ text: r.text }] },
    partial: false,
    actions: { stateDelta: {}, artifactDelta: {}, requestedAuthConfigs: {} },
  }));
}

async function createAdkSession(c: Context<AppEnv>, id?: string) {
  checkApp(c.req.param('app')!);
  const { state, sessionId, session_id, events: _events, ...rest } = await parseJson(c, CreateAdkSession);
  const given = state ?? rest;
  const defaults = parseWith(CreateSessionBody, { task_name: given.task_name, language: given.language }, 'state');
  const session = await c.var.user.createSession({
    id: id ?? sessionId ?? session_id ?? undefined,
    taskName: defaults.task_name,
    language: defaults.language,
    attribution: { source: c.req.header('x-skill-source') ?? 'adk', platform: c.req.header('x-skill-platform') },
  });
  return c.json(toAdkSession(c.var.userId, session));
}

export const adk = new Hono<AppEnv>();

adk.get('/list-apps', (c) => c.json(APPS));

adk.use('/apps/*', requireAuth);
adk.use('/run', requireAuth);

adk.post('/apps/:app/users/:user/sessions', (c) => createAdkSession(c));
adk.post('/apps/:app/users/:user/sessions/:sid', (c) =>
  createAdkSession(c, parseWith(SessionId, c.req.param('sid'), 'session id')),
);

adk.get('/apps/:app/users/:user/sessions', async (c) => {
  checkApp(c.req.param('app'));
  const list = await c.var.user.listSessions();
  return c.json(list.map((s) => toAdkSession(c.var.userId, s)));
});

adk.get('/apps/:app/users/:user/sessions/:sid', async (c) => {
  checkApp(c.req.param('app'));
  const sid = c.req.param('sid');
  const session = await c.var.user.getSession(sid);
  const history = await c.var.user.chatHistory(sid);
  return c.json(toAdkSession(c.var.userId, session, chatEvents(sid, history)));
});

adk.delete('/apps/:app/users/:user/sessions/:sid', async (c) => {
  checkApp(c.req.param('app'));
  await c.var.user.deleteSession(c.req.param('sid'));
  return c.json(null);
});

/** ADK's POST /run: the same turn as /run_sse (retry keys included), answered as the list of its events. */
adk.post('/run', async (c) => {
  const body = await parseJson(c, RunSseBody);
  checkApp(body.app_name ?? body.appName ?? AGENT_NAME);
  const stream = await openChatTurn(c, body);
  const events: AdkEvent[] = [];
  const parser = createParser({
    onEvent: (e) => {
      if (e.event !== 'heartbeat' && e.data) events.push(JSON.parse(e.data) as AdkEvent);
    },
  });
  const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(value);
  }
  return c.json(events);
});

// ADK answers are bare JSON, not envelopes.
const tags = ['adk'];
const envelope = false;
const sessionPath = '/apps/{app}/users/{user}/sessions';
export const adkDocs: RouteDoc[] = [
  {
    method: 'get',
    path: '/list-apps',
    operationId: 'adkListApps',
    summary: 'ADK: the agents served here',
    data: z.array(z.string()),
    tags,
    envelope,
  },
  {
    method: 'post',
    path: sessionPath,
    operationId: 'adkCreateSession',
    summary: 'ADK: create a session (state.language and state.task_name are used); {user} is ignored',
    auth: true,
    body: CreateAdkSession,
    data: AdkSessionSchema,
    tags,
    envelope,
  },
  {
    method: 'get',
    path: sessionPath,
    operationId: 'adkListSessions',
    summary: 'ADK: your sessions',
    auth: true,
    data: z.array(AdkSessionSchema),
    tags,
    envelope,
  },
  {
    method: 'post',
    path: `${sessionPath}/{sid}`,
    operationId: 'adkCreateSessionWithId',
    summary: 'ADK: create a session with this id (400 if it exists)',
    auth: true,
    body: CreateAdkSession,
    data: AdkSessionSchema,
    tags,
    envelope,
  },
  {
    method: 'get',
    path: `${sessionPath}/{sid}`,
    operationId: 'adkGetSession',
    summary: 'ADK: a session with its chat as events',
    auth: true,
    data: AdkSessionSchema,
    tags,
    envelope,
  },
  {
    method: 'delete',
    path: `${sessionPath}/{sid}`,
    operationId: 'adkDeleteSession',
    summary: 'ADK: delete a session with its drafts, chat and uploads',
    auth: true,
    data: z.null(),
    tags,
    envelope,
  },
  {
    method: 'post',
    path: '/run',
    operationId: 'adkRun',
    headers: [{ name: 'Idempotency-Key', description: 'As for /run_sse: a retry replays the first attempt' }],
    summary: 'ADK: one chat turn, answered as the JSON list of its events (the events /run_sse streams)',
    auth: true,
    body: RunSseBody,
    data: z.array(AdkEventSchema),
    tags,
    envelope,
  },
];
