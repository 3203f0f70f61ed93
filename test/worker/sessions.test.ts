import { describe, expect, it } from 'vitest';
import { call, json, mintToken, newSession } from './helpers.ts';

const post = (token: string, body: unknown) =>
  call('/api/tasks/me/with-session/nemo_agent', {
    method: 'POST',
    token,
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('sessions', () => {
  it('creates a session with an empty draft', async () => {
    const { token } = await mintToken();
    const s = await newSession(token);
    expect(s.session_id).toMatch(/^ses_/);
    expect(s.task_id).toMatch(/^task_/);
    const state = await json<{
      draft: { t: unknown[]; w: number; h: number };
      video_infos: unknown[];
      generated_media: unknown[];
    }>(await call(`/api/state/nemo_agent/me/${s.session_id}/latest`, { token }));
    expect(state.code).toBe(0);
    expect(state.data.draft.t).toEqual([]);
    expect([state.data.draft.w, state.data.draft.h]).toEqual([1080, 1920]);
    expect(state.data.video_infos).toEqual([]);
    expect(state.data.generated_media).toEqual([]);
  });

  it('defaults task_name and language when the body is empty', async () => {
    const { token } = await mintToken();
    const res = await call('/api/tasks/me/with-session/nemo_agent', { method: 'POST', token });
    expect((await json(res)).code).toBe(0);
    const list = await json<{ sessions: { language: string; task_name: string }[] }>(
      await call('/api/sessions', { token }),
    );
    expect(list.data.sessions[0]).toMatchObject({ language: 'en', task_name: 'project' });
  });

  it('defaults task_name and language sent as null', async () => {
    const { token } = await mintToken();
    const res = await call('/api/tasks/me/with-session/nemo_agent', {
      method: 'POST',
      token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ task_name: null, language: null }),
    });
    expect((await json(res)).code).toBe(0);
    const list = await json<{ sessions: { language: string; task_name: string }[] }>(
      await call('/api/sessions', { token }),
    );
    expect(list.data.sessions[0]).toMatchObject({ language: 'en', task_name: 'project' });
  });

  it.each([
    ['not JSON', '{nope', /not valid JSON/],
    ['a bad language', { task_name: 'p', language: 'english please' }, /field `language`/],
    ['a non-string task_name', { task_name: 42 }, /field `task_name`/],
  ])('answers 400 naming the field for %s', async (_n, body, message) => {
    const { token } = await mintToken();
    const res = await post(token, body);
    expect(res.status).toBe(400);
    const env = await json(res);
    expect(env.code).toBe(400);
    expect(env.message).toMatch(message);
    const list = await json<{ sessions: unknown[] }>(await call('/api/sessions', { token }));
    expect(list.data.sessions).toEqual([]);
  });

  it('records attribution headers and keeps users isolated', async () => {
    const a = await mintToken();
    const b = await mintToken();
    const res = await call('/api/tasks/me/with-session/nemo_agent', {
      method: 'POST',
      token: a.token,
      headers: {
        'x-skill-source': 'app',
        'x-skill-version': '1.2',
        'x-skill-platform': 'ios',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ task_name: 'mine', language: 'zh-CN' }),
    });
    const { session_id } = (await json<{ session_id: string }>(res)).data;

    // B sees neither A's session in its list nor its state, and gets 1002 exactly as for a missing id.
    const listB = await json<{ sessions: unknown[] }>(await call('/api/sessions', { token: b.token }));
    expect(listB.data.sessions).toEqual([]);
    for (const sid of [session_id, 'ses_doesnotexist']) {
      const r = await call(`/api/state/nemo_agent/me/${sid}/latest`, { token: b.token });
      expect(r.status).toBe(404);
      const body = await json(r);
      expect(body).toEqual({ code: 1002, message: 'Session not found', data: null });
    }
    const del = await call(`/api/sessions/${session_id}`, { method: 'DELETE', token: b.token });
    expect((await json(del)).code).toBe(1002);

    const listA = await json<{ sessions: { session_id: string; language: string }[] }>(
      await call('/api/sessions', { token: a.token }),
    );
    expect(listA.data.sessions.map((s) => s.session_id)).toEqual([session_id]);
    expect(listA.data.sessions[0]!.language).toBe('zh-CN');
  });

  it('deletes a session', async () => {
    const { token } = await mintToken();
    const s1 = await newSession(token);
    const s2 = await newSession(token);
    const del = await json(await call(`/api/sessions/${s1.session_id}`, { method: 'DELETE', token }));
    expect(del.code).toBe(0);
    const list = await json<{ sessions: { session_id: string }[] }>(await call('/api/sessions', { token }));
    expect(list.data.sessions.map((s) => s.session_id)).toEqual([s2.session_id]);
    expect((await json(await call(`/api/state/nemo_agent/me/${s1.session_id}/latest`, { token }))).code).toBe(1002);
  });

  it('returns the conversation of a session, oldest first, only to its owner', async () => {
    const { token } = await mintToken();
    const { session_id } = await newSession(token);
    const turn = await call('/run_sse', {
      method: 'POST',
      token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_name: 'nemo_agent', session_id, new_message: { parts: [{ text: 'status' }] } }),
    });
    await turn.text();
    const chat = await json<{ messages: { role: string; text: string; at: number }[] }>(
      await call(`/api/sessions/${session_id}/chat`, { token }),
    );
    expect(chat.data.messages.map((m) => m.role)).toEqual(['user', 'model']);
    expect(chat.data.messages[0]!.text).toBe('status');
    expect(chat.data.messages[1]!.text).toMatch(/Timeline/);
    const limited = await json<{ messages: unknown[] }>(
      await call(`/api/sessions/${session_id}/chat?limit=1`, { token }),
    );
    expect(limited.data.messages).toHaveLength(1);
    expect((await call(`/api/sessions/${session_id}/chat?limit=0`, { token })).status).toBe(400);
    const other = await mintToken();
    expect((await json(await call(`/api/sessions/${session_id}/chat`, { token: other.token }))).code).toBe(1002);
  });
});
