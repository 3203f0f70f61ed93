import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { AdkEvent } from '../../src/agent/sse.ts';
import { userStub } from '../../src/durable/user-stub.ts';
import { addClip, events, isFinalResponse, message, runSse } from './chat-fixtures.ts';
import { call, mintToken } from './helpers.ts';

/** The fields of ADK's Session model (google/adk-python, src/google/adk/sessions/session.py), camelCase. */
const SESSION_KEYS = ['appName', 'events', 'id', 'lastUpdateTime', 'state', 'userId'];

const post = (path: string, token: string | undefined, body?: unknown) =>
  call(path, {
    method: 'POST',
    token,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('ADK API server routes', () => {
  it('GET /list-apps names our agent, without a token', async () => {
    const res = await call('/list-apps');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(['nemo_agent']);
  });

  it('creates, lists, reads and deletes sessions in ADK shapes; the token, not the path, decides the user', async () => {
    const u = await mintToken();
    const created = await post('/apps/nemo_agent/users/user/sessions', u.token, { state: { language: 'zh-CN' } });
    expect(created.status).toBe(200);
    const s = (await created.json()) as Record<string, unknown>;
    expect(Object.keys(s).sort()).toEqual(SESSION_KEYS);
    expect(s).toMatchObject({
      appName: 'nemo_agent',
      userId: u.user_id,
      state: { language: 'zh-CN', task_name: 'project', draft_version: 0 },
      events: [],
    });
    expect(s.lastUpdateTime).toBeGreaterThan(1.7e9);
    expect(s.lastUpdateTime).toBeLessThan(1e11); // seconds, as ADK, not milliseconds

    // Our own routes see the same session (it is one of ours, in the token's user).
    expect((await userStub(env, u.user_id).getSession(s.id as string)).language).toBe('zh-CN');

    // A different {user} in the path changes nothing: same list, same user id.
    const list = (await (await call('/apps/nemo_agent/users/someone-else/sessions', { token: u.token })).json()) as {
      id: string;
      userId: string;
    }[];
    expect(list.map((x) => x.id)).toEqual([s.id]);
    expect(list[0]!.userId).toBe(u.user_id);

    // Another user's token does not see it: 1002 (404), as everywhere.
    const other = await mintToken();
    const foreign = await call(`/apps/nemo_agent/users/${u.user_id}/sessions/${s.id}`, { token: other.token });
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toMatchObject({ code: 1002 });

    const del = await call(`/apps/nemo_agent/users/user/sessions/${s.id}`, { method: 'DELETE', token: u.token });
    expect(del.status).toBe(200);
    expect(await del.json()).toBeNull();
    expect((await call(`/apps/nemo_agent/users/user/sessions/${s.id}`, { token: u.token })).status).toBe(404);
  });

  it('creates a session with a client-chosen id once (ADK: 400 when it exists); the old body form is the state', async () => {
    const u = await mintToken();
    const first = await post('/apps/nemo_agent/users/u/sessions/my-session_1', u.token, { language: 'en' });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ id: 'my-session_1', state: { language: 'en' } });
    const again = await post('/apps/nemo_agent/users/u/sessions/my-session_1', u.token);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ code: 400, message: 'Session already exists: my-session_1' });
    expect((await post('/apps/nemo_agent/users/u/sessions/bad%20id', u.token)).status).toBe(400);
    // ADK 1.x body: {sessionId, state}.
    const named = await post('/apps/nemo_agent/users/u/sessions', u.token, { sessionId: 'second', state: {} });
    expect(await named.json()).toMatchObject({ id: 'second', state: { language: 'en' } });
  });

  it('refuses what it cannot honour: unknown apps (404), seeded events (400), no token (1001)', async () => {
    const u = await mintToken();
    expect((await post('/apps/other_agent/users/u/sessions', u.token, {})).status).toBe(404);
    const seeded = await post('/apps/nemo_agent/users/u/sessions', u.token, { events: [{ author: 'user' }] });
    expect(seeded.status).toBe(400);
    expect(await seeded.json()).toMatchObject({ message: expect.stringMatching(/events/) });
    const anon = await post('/apps/nemo_agent/users/u/sessions', undefined, {});
    expect(anon.status).toBe(401);
    expect(await anon.json()).toMatchObject({ code: 1001 });
  });

  it('an ADK client chats: create the session, POST /run answers the list of events, GET shows the chat', async () => {
    const u = await mintToken();
    const s = (await (await post('/apps/nemo_agent/users/user/sessions', u.token, {})).json()) as { id: string };
    await addClip(u.user_id, s.id, 'med_adk01', 'hash_adk_01');
    const res = await post('/run', u.token, {
      appName: 'nemo_agent',
      userId: 'user',
      sessionId: s.id,
      newMessage: message('make it 9:16'),
      streaming: false,
    });
    expect(res.status).toBe(200);
    const evs = (await res.json()) as AdkEvent[];
    const calls = evs.flatMap((e) => e.content?.parts ?? []).flatMap((p) => ('functionCall' in p ? [p] : []));
    expect(calls.map((p) => p.functionCall.name)).toEqual(['place_media', 'set_aspect']);
    expect(evs.filter(isFinalResponse)).toEqual([evs.at(-1)]);
    expect(evs.at(-1)).toMatchObject({ turnComplete: true, actions: { stateDelta: { draft_version: 1 } } });

    const got = (await (await call(`/apps/nemo_agent/users/user/sessions/${s.id}`, { token: u.token })).json()) as {
      state: { draft_version: number };
      events: AdkEvent[];
    };
    expect(got.state.draft_version).toBe(1);
    expect(got.events.map((e) => [e.author, e.content?.role])).toEqual([
      ['user', 'user'],
      ['nemo_agent', 'model'],
    ]);
    expect(got.events[0]!.content!.parts).toEqual([{ text: 'make it 9:16' }]);
  });

  it('/run and /run_sse share retry keys: a /run retried as /run_sse replays, the draft moves once', async () => {
    const u = await mintToken();
    const s = (await (await post('/apps/nemo_agent/users/user/sessions', u.token, {})).json()) as { id: string };
    await addClip(u.user_id, s.id, 'med_adk02', 'hash_adk_02');
    const req = { appName: 'nemo_agent', sessionId: s.id, newMessage: message('make it 9:16'), invocationId: 'e-1' };
    const viaRun = (await (await post('/run', u.token, req)).json()) as AdkEvent[];
    const viaSse = await events(await runSse(u.token, req));
    expect(viaSse.map((e) => e.id)).toEqual(viaRun.map((e) => e.id));
    expect((await userStub(env, u.user_id).draftHistory(s.id)).map((v) => v.version)).toEqual([0, 1]);
  });

  it('an error turn: only its closing text is final for ADK', async () => {
    const u = await mintToken();
    const s = (await (await post('/apps/nemo_agent/users/user/sessions', u.token, {})).json()) as { id: string };
    const evs = (await (
      await post('/run', u.token, { appName: 'nemo_agent', sessionId: s.id, newMessage: message('add captions') })
    ).json()) as AdkEvent[];
    expect(evs.some((e) => e.errorCode)).toBe(true);
    expect(evs.filter(isFinalResponse)).toEqual([evs.at(-1)]);
  });
});
