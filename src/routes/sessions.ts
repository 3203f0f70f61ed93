import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../lib/app-env.ts';
import { hasEngine, parseJobRef } from '../lib/engine-client.ts';
import { ok } from '../lib/envelope.ts';
import type { RouteDoc } from '../lib/openapi-registry.ts';
import { parseJson, parseWith } from '../lib/validate.ts';
import { cancelEngineJob } from '../render/engine-jobs.ts';
import { stripBidiControls } from '../uploads/names.ts';
import { SessionDeleted, SessionListData } from './api-schemas.ts';
import { requireAuth } from './require-auth.ts';

// Both optional; null (how many clients send "not set") means the default too.
export const CreateSessionBody = z.object({
  task_name: z
    .string()
    .min(1)
    .max(200)
    .nullish()
    // Shown in session lists: no bidi overrides that make a name read as something else.
    .transform((v) => (v ? stripBidiControls(v).trim() : '') || 'project'),
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'language must be a BCP-47 tag such as "en" or "zh-CN"')
    .nullish()
    .transform((v) => v ?? 'en'),
});

export const SessionData = z.object({ session_id: z.string(), task_id: z.string() });
const ChatQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(200) });

export const sessions = new Hono<AppEnv>();
// Auth per route: this sub-app is mounted at /api, where a '*' middleware would also catch other sub-apps.
sessions.post('/tasks/me/with-session/nemo_agent', requireAuth, async (c) => {
  const body = await parseJson(c, CreateSessionBody);
  const session = await c.var.user.createSession({
    taskName: body.task_name,
    language: body.language,
    attribution: {
      source: c.req.header('x-skill-source'),
      version: c.req.header('x-skill-version'),
      platform: c.req.header('x-skill-platform'),
    },
  });
  return ok(c, { session_id: session.session_id, task_id: session.task_id });
});

sessions.get('/sessions', requireAuth, async (c) => {
  const list = await c.var.user.listSessions();
  return ok(c, {
    sessions: list.map((s) => ({
      session_id: s.session_id,
      task_id: s.task_id,
      task_name: s.task_name,
      language: s.language,
      created_at: s.created_at,
      updated_at: s.updated_at,
      draft_version: s.draft_version,
    })),
  });
});

/** The conversation so far (oldest first), so a client reopening a project shows it again. */
sessions.get('/sessions/:sid/chat', requireAuth, async (c) => {
  const { limit } = parseWith(ChatQuery, c.req.query(), 'query');
  const messages = await c.var.user.chatHistory(c.req.param('sid'), limit);
  return ok(c, { messages });
});

sessions.delete('/sessions/:sid', requireAuth, async (c) => {
  const { deleted, objects, cancelled_jobs } = await c.var.user.deleteSession(c.req.param('sid'));
  // Renders still running were cancelled (credits back); stop their engine jobs, best effort.
  if (hasEngine(c.env))
    await Promise.all(
      cancelled_jobs.map((ref) => cancelEngineJob(c.env, parseJobRef(ref, c.env)).catch(() => undefined)),
    );
  return ok(c, { deleted, objects });
});

export const sessionDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/tasks/me/with-session/nemo_agent',
    operationId: 'createSession',
    summary: 'Create an editing session',
    auth: true,
    headers: ['Source', 'Version', 'Platform'].map((k) => ({
      name: `X-Skill-${k}`,
      description: 'Attribution, recorded with the session (analytics only)',
    })),
    body: CreateSessionBody,
    data: SessionData,
    tags: ['sessions'],
  },
  {
    method: 'get',
    path: '/api/sessions',
    operationId: 'listSessions',
    summary: 'List your sessions, newest first',
    auth: true,
    data: SessionListData,
    tags: ['sessions'],
  },
  {
    method: 'get',
    path: '/api/sessions/{sid}/chat',
    operationId: 'getSessionChat',
    summary:
      "The session's conversation, oldest first: {messages: [{role: user|model, text, at}]} (query limit, default 200)",
    auth: true,
    tags: ['sessions'],
  },
  {
    method: 'delete',
    path: '/api/sessions/{sid}',
    operationId: 'deleteSession',
    summary:
      'Delete a session and everything it made: drafts, chat, uploads, analysis, renders (running ones cancelled, credits returned), share pages and download links',
    auth: true,
    data: SessionDeleted,
    tags: ['sessions'],
  },
];
