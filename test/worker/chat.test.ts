import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { AdkEvent } from '../../src/agent/sse.ts';
import type { Draft } from '../../src/draft/schema.ts';
import type { AnalyseResult } from '../../src/lib/engine-protocol.ts';
import { addClip, events, message, runSse } from './chat-fixtures.ts';
import { call, json, userWithSession } from './helpers.ts';

/** What the engine's analysis left in R2 for a clip (the cache the chat reads before asking the engine). */
async function cacheAnalysis(userId: string, hash: string) {
  const result: AnalyseResult = {
    content_hash: hash,
    duration_ms: 10_000,
    pauses: [{ s: 3000, e: 5000 }],
    speech: [
      { s: 0, e: 3000 },
      { s: 5000, e: 10_000 },
    ],
    words: [
      { w: 'Hello', s: 200, e: 700, conf: 0.9, filler: false },
      { w: 'um', s: 1000, e: 1400, conf: 0.9, filler: true },
      { w: 'world.', s: 1500, e: 2500, conf: 0.9, filler: false },
      { w: 'Goodbye.', s: 5200, e: 6000, conf: 0.9, filler: false },
    ],
    language: 'en',
    asr_provider: 'fixture',
    cached: false,
  };
  // Sessions in these tests are English: the cache sits under the owner, keyed by content hash and language.
  await env.MEDIA.put(`u/${userId}/analysis/${hash}.en.v2.json`, JSON.stringify(result));
}

const parts = (evs: AdkEvent[]) => evs.flatMap((e) => e.content?.parts ?? []);
const fnCalls = (evs: AdkEvent[]) => parts(evs).flatMap((p) => ('functionCall' in p ? [p.functionCall] : []));
const fnResponses = (evs: AdkEvent[]) =>
  parts(evs).flatMap((p) => ('functionResponse' in p ? [p.functionResponse] : []));
const lastText = (evs: AdkEvent[]) =>
  parts(evs)
    .flatMap((p) => ('text' in p ? [p.text] : []))
    .at(-1) ?? '';

async function latestDraft(token: string, sid: string) {
  const res = await call(`/api/state/nemo_agent/me/${sid}/latest`, { token });
  return (await json<{ draft: Draft }>(res)).data.draft;
}

describe('POST /run_sse', () => {
  it('streams a full turn: analysis, edits, paired ids, final summary; the draft is saved', async () => {
    const u = await userWithSession();
    await addClip(u.user_id, u.session_id, 'med_talk01', 'hash_talk_0001');
    await cacheAnalysis(u.user_id, 'hash_talk_0001');
    const evs = await events(
      await runSse(u.token, {
        appName: 'nemo_agent',
        sessionId: u.session_id,
        newMessage: message('trim the pauses and add captions'),
      }),
    );
    for (const e of evs) {
      expect(Object.keys(e)).toEqual(
        expect.arrayContaining(['id', 'invocationId', 'author', 'timestamp', 'partial', 'actions']),
      );
      expect(e.author).toBe('nemo_agent');
      expect(e.timestamp).toBeGreaterThan(1.7e9);
    }
    expect(fnCalls(evs).map((c) => c.name)).toEqual(['place_media', 'analyse_media', 'trim_pauses', 'add_captions']);
    const responses = new Map(fnResponses(evs).map((r) => [r.id, r]));
    for (const c of fnCalls(evs)) expect(responses.get(c.id)).toMatchObject({ name: c.name, response: { ok: true } });
    expect(fnResponses(evs).find((r) => r.name === 'analyse_media')!.response).toMatchObject({
      cached: true,
      pauses: 1,
      words: 4,
    });
    expect(lastText(evs)).toMatch(
      /^Done: .*trimmed the pauses.*\nTimeline \(2 tracks\): 1\. Video: talk \(0-8\.\d+s, 2 clips\) 2\. Captions/,
    );
    const draft = await latestDraft(u.token, u.session_id);
    expect(draft.w).toBe(1920);
    expect(draft.t.map((t) => t.m.kind ?? t.tt)).toEqual([0, 'caption']);
    expect(evs.at(-1)!.actions.stateDelta).toEqual({ draft_version: 1 });
  });

  it('an error turn (no engine, nothing cached) leaves the draft unchanged', async () => {
    const u = await userWithSession();
    await addClip(u.user_id, u.session_id, 'med_talk02', 'hash_talk_0002');
    await events(
      await runSse(u.token, {
        app_name: 'nemo_agent',
        session_id: u.session_id,
        new_message: message('make it square'),
      }),
    );
    const before = await latestDraft(u.token, u.session_id);
    const evs = await events(
      await runSse(u.token, {
        app_name: 'nemo_agent',
        session_id: u.session_id,
        new_message: message('add a title "Hi" and remove the filler words'),
      }),
    );
    const err = evs.find((e) => e.errorCode);
    expect(err).toMatchObject({ errorCode: 'ENGINE_UNAVAILABLE', errorMessage: expect.stringMatching(/media engine/) });
    expect(parts(evs).some((p) => 'text' in p && /ENGINE_URL/.test(p.text))).toBe(true);
    expect(lastText(evs)).toMatch(/^Nothing was changed\. Timeline \(1 track\)/);
    expect(await latestDraft(u.token, u.session_id)).toEqual(before);
  });

  it('explains a missing engine in Chinese to a Chinese session', async () => {
    const u = await userWithSession('zh-CN');
    await addClip(u.user_id, u.session_id, 'med_talk03', 'hash_talk_0003');
    const evs = await events(
      await runSse(u.token, { app_name: 'nemo_agent', session_id: u.session_id, new_message: message('剪掉停顿') }),
    );
    const err = evs.find((e) => e.errorCode);
    expect(err).toMatchObject({ errorCode: 'ENGINE_UNAVAILABLE', errorMessage: expect.stringMatching(/媒体引擎/) });
    expect(parts(evs).some((p) => 'text' in p && /ENGINE_URL 为空/.test(p.text))).toBe(true);
  });

  it('edits an empty session with snake_case fields and answers Chinese sessions in Chinese', async () => {
    const u = await userWithSession('zh-CN');
    const evs = await events(
      await runSse(u.token, {
        app_name: 'nemo_agent',
        session_id: u.session_id,
        user_id: 'ignored',
        streaming: true,
        new_message: message('加标题“城市之梦”'),
      }),
    );
    expect(fnCalls(evs).map((c) => c.name)).toEqual(['set_title']);
    expect(lastText(evs)).toBe('完成：标题设为“城市之梦”。\n时间线（1 条轨道）：1. 标题：“城市之梦”（0-3秒）');
    expect((await latestDraft(u.token, u.session_id)).m?.title).toBe('城市之梦');
  });

  it('takes the nulls an ADK client serialises for unset fields (role, a non-text part, user_id, streaming)', async () => {
    // google-genai's Content/Part dumped without exclude_none: every unset field is null.
    const u = await userWithSession();
    const evs = await events(
      await runSse(u.token, {
        app_name: 'nemo_agent',
        session_id: u.session_id,
        user_id: null,
        streaming: null,
        state_delta: null,
        new_message: {
          role: null,
          parts: [
            { text: 'add a title "Hi"', inline_data: null, function_call: null },
            { text: null, inline_data: { mime_type: 'image/png', data: 'AA==' } },
          ],
        },
      }),
    );
    expect(fnCalls(evs).map((c) => c.name)).toEqual(['set_title']);
    expect((await latestDraft(u.token, u.session_id)).m?.title).toBe('Hi');
  });

  it("answers 1002 for another user's session, without revealing it exists", async () => {
    const owner = await userWithSession();
    const other = await userWithSession();
    const res = await runSse(other.token, {
      app_name: 'nemo_agent',
      session_id: owner.session_id,
      new_message: message('status'),
    });
    expect(res.status).toBe(404);
    expect(await json(res)).toMatchObject({ code: 1002, data: null });
  });

  it.each([
    [{ app_name: 'nemo_agent', new_message: message('hi') }, /session_id/],
    [{ app_name: 'nemo_agent', session_id: 'x' }, /new_message/],
    [
      { app_name: 'nemo_agent', session_id: 'x', new_message: { role: 'user', parts: [{ text: '  ' }] } },
      /new_message\.parts/,
    ],
    [{ app_name: 'nemo_agent', session_id: 'x', new_message: { role: 'user', parts: 'hi' } }, /new_message\.parts/],
    ['{not json', /JSON/],
  ])('400 for a malformed body %#', async (body, field) => {
    const u = await userWithSession();
    const res = await runSse(u.token, body);
    expect(res.status).toBe(400);
    const env = await json(res);
    expect(env.code).toBe(400);
    expect(env.message).toMatch(field);
  });

  it('is described in /openapi.json', async () => {
    const doc = (await (await call('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(JSON.stringify(doc.paths['/run_sse']?.post)).toMatch(/text\/event-stream/);
  });

  it('401 without a token', async () => {
    const res = await runSse(undefined, { app_name: 'nemo_agent', session_id: 'x', new_message: message('hi') });
    expect(res.status).toBe(401);
    expect((await json(res)).code).toBe(1001);
  });
});
