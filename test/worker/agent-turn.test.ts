import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import type { MediaRow, TurnDeps } from '../../src/agent/deps.ts';
import { TurnError } from '../../src/agent/errors.ts';
import { embeddedPlanner } from '../../src/agent/planner/embedded.ts';
import type { Planner } from '../../src/agent/planner/types.ts';
import { type AdkEvent, EventSink, sseStream } from '../../src/agent/sse.ts';
import { runTurn } from '../../src/agent/turn.ts';
import type { Draft } from '../../src/draft/schema.ts';
import { isFinalResponse } from './chat-fixtures.ts';
import { ANALYSIS, baseDraft, emptyDraft, MEDIA } from './ops-fixtures.ts';

const ROWS: MediaRow[] = MEDIA.map((m) => ({
  ...m,
  r2_key: `u/${m.media_id}`,
  content_hash: `hash_${m.media_id}_0000`,
}));

/** An in-memory stand-in for the UserDO side of a turn (our own interface, not a Cloudflare binding). */
function memoryDeps(start: Draft, over: Partial<TurnDeps> = {}) {
  const history: { draft: Draft; op: string }[] = [{ draft: start, op: 'create' }];
  let head = 0;
  const commits: string[] = [];
  const deps: TurnDeps = {
    sessionId: 'ses_test',
    language: 'en',
    planner: embeddedPlanner,
    loadDraft: async () => ({ draft: history[head]!.draft, version: head }),
    listMedia: async () => ROWS,
    commit: async (draft, op, base) => {
      if (base !== head) throw new Error('conflict');
      history.splice(head + 1, history.length, { draft, op });
      head += 1;
      commits.push(op);
      return { version: head };
    },
    undo: async () => (head === 0 ? null : { draft: history[--head]!.draft, version: head, op: history[head + 1]!.op }),
    redo: async () =>
      head + 1 >= history.length ? null : { draft: history[++head]!.draft, version: head, op: history[head]!.op },
    balance: async () => ({ available: 90, frozen: 10, total: 100 }),
    analyse: async (media) => {
      const result = ANALYSIS[media.media_id];
      if (!result) throw new TurnError('ANALYSIS_FAILED', 'no analysis');
      return { result: { ...result, language: 'en', asr_provider: 'fixture' }, cached: true };
    },
    ...over,
  };
  return { deps, commits, current: () => history[head]!.draft };
}

interface Parsed {
  events: AdkEvent[];
  heartbeats: number;
}

async function turn(
  deps: TurnDeps,
  message: string,
  opts: Parameters<typeof runTurn>[3] = {},
  stream: Parameters<typeof sseStream>[1] = {},
): Promise<Parsed> {
  const { sink, response, close } = sseStream('nemo_agent', stream);
  const body = response.text();
  await runTurn(sink, deps, message, opts).finally(close);
  const parsed: Parsed = { events: [], heartbeats: 0 };
  const parser = createParser({
    onEvent: (e: EventSourceMessage) => {
      if (e.event === 'heartbeat') parsed.heartbeats++;
      else parsed.events.push(JSON.parse(e.data) as AdkEvent);
    },
  });
  parser.feed(await body);
  return parsed;
}

const calls = (p: Parsed) =>
  p.events.flatMap((e) => e.content?.parts.flatMap((x) => ('functionCall' in x ? [x.functionCall] : [])) ?? []);
const responses = (p: Parsed) =>
  p.events.flatMap((e) => e.content?.parts.flatMap((x) => ('functionResponse' in x ? [x.functionResponse] : [])) ?? []);
const texts = (p: Parsed) =>
  p.events.flatMap((e) => e.content?.parts.flatMap((x) => ('text' in x ? [x.text] : [])) ?? []);

describe('runTurn', () => {
  it('streams paired tool calls, commits once and ends with the summary', async () => {
    const { deps, commits, current } = memoryDeps(baseDraft());
    const out = await turn(deps, 'trim the pauses and add captions');
    for (const e of out.events) {
      expect(e).toMatchObject({ author: 'nemo_agent', partial: expect.any(Boolean), actions: expect.any(Object) });
      expect(e.invocationId).toBe(out.events[0]!.invocationId);
      expect(typeof e.timestamp).toBe('number');
    }
    expect(calls(out).map((c) => c.name)).toEqual(['analyse_media', 'trim_pauses', 'add_captions']);
    const byId = new Map(responses(out).map((r) => [r.id, r]));
    for (const c of calls(out)) expect(byId.get(c.id)?.name).toBe(c.name);
    const callEvent = out.events.find((e) => e.content?.parts.some((p) => 'functionCall' in p))!;
    const respEvent = out.events.find((e) => e.content?.parts.some((p) => 'functionResponse' in p))!;
    expect(callEvent.content!.role).toBe('model');
    expect(respEvent.content!.role).toBe('user');
    expect(commits).toEqual(['trim_pauses+add_captions']);
    const last = out.events.at(-1)!;
    expect(last.turnComplete).toBe(true);
    expect(texts({ events: [last], heartbeats: 0 })[0]).toMatch(
      /^Done: trimmed the pauses .*added \d+ captions\.\nTimeline \(3 tracks\): 1\. Video: talk/,
    );
    expect(current().t.some((t) => t.m.kind === 'caption')).toBe(true);
  });

  it('sends heartbeats while a slow turn runs', async () => {
    const slow: Planner = {
      name: 'slow',
      plan: async (i) => {
        await new Promise((r) => setTimeout(r, 150));
        return embeddedPlanner.plan(i);
      },
    };
    const { deps } = memoryDeps(baseDraft(), { planner: slow });
    const out = await turn(deps, 'status', { heartbeatMs: 30 });
    expect(out.heartbeats).toBeGreaterThanOrEqual(2);
    expect(texts(out).at(-1)).toMatch(/Timeline \(2 tracks\)/);
  });

  it('an error leaves the draft as it was and says so with errorCode/errorMessage', async () => {
    const failing = memoryDeps(baseDraft(), {
      analyse: async () => {
        throw new TurnError('ENGINE_UNAVAILABLE', 'The media engine is not running.');
      },
    });
    const out = await turn(failing.deps, 'make it square, then trim the pauses');
    expect(failing.commits).toEqual([]);
    expect(failing.current()).toEqual(baseDraft());
    expect(out.events.filter(isFinalResponse)).toEqual([out.events.at(-1)]);
    const err = out.events.find((e) => e.errorCode)!;
    expect(err).toMatchObject({ errorCode: 'ENGINE_UNAVAILABLE', errorMessage: 'The media engine is not running.' });
    expect(texts(out)).toContain('The media engine is not running.');
    expect(texts(out).at(-1)).toMatch(/^Nothing was changed\. Timeline/);
    const analyse = calls(out).find((c) => c.name === 'analyse_media')!;
    expect(responses(out).find((r) => r.id === analyse.id)?.response).toMatchObject({ ok: false });
  });

  it('a client that hangs up mid-turn still gets the whole edit committed once', async () => {
    const { deps, commits, current } = memoryDeps(baseDraft());
    let frames = 0;
    const sink = new EventSink(async () => {
      if (++frames > 2) throw new Error('client went away');
    }, 'nemo_agent');
    await runTurn(sink, deps, 'make it 16:9, add a title "Hi there", and fade in');
    expect(sink.connected).toBe(false);
    expect(commits).toEqual(['set_aspect+set_title+fade']);
    expect(current()).toMatchObject({ w: 1920, h: 1080, m: { title: 'Hi there', fade_in: 1000 } });
  });

  it('an unclear request asks and changes nothing', async () => {
    const { deps, commits } = memoryDeps(baseDraft());
    const out = await turn(deps, 'make it pop');
    expect(commits).toEqual([]);
    expect(calls(out)).toEqual([]);
    expect(texts(out).at(-1)).toMatch(
      /could not tell what to change from "make it pop"[\s\S]*Nothing was changed\. Timeline/,
    );
  });

  it('places the uploads first when the draft is empty, and answers in Chinese', async () => {
    const { deps, current } = memoryDeps(emptyDraft(), { language: 'zh-CN' });
    const out = await turn(deps, '改成竖屏');
    expect(calls(out).map((c) => c.name)).toEqual(['place_media', 'set_aspect']);
    expect(current()).toMatchObject({ w: 1080, h: 1920 });
    expect(texts(out).at(-1)).toMatch(/^完成：.*\n时间线（1 条轨道）：1\. 视频：talk/);
  });

  it('undo and redo go through the history', async () => {
    const { deps, current } = memoryDeps(baseDraft());
    await turn(deps, 'make it square');
    expect(current().w).toBe(1080);
    expect(current().h).toBe(1080);
    const undone = await turn(deps, 'undo');
    expect(current().h).toBe(1920);
    expect(texts(undone).at(-1)).toMatch(/^Done: undid the last edit \(set aspect\)\./);
    await turn(deps, 'redo');
    expect(current().h).toBe(1080);
    const none = await turn(memoryDeps(baseDraft()).deps, 'undo');
    expect(texts(none).at(-1)).toMatch(/nothing to undo/);
  });

  it('says why an edit cannot be done in Chinese in a Chinese session', async () => {
    const { deps } = memoryDeps(emptyDraft(), { language: 'zh-CN', listMedia: async () => [] });
    const out = await turn(deps, '剪掉停顿');
    expect(out.events.find((e) => e.errorCode)).toMatchObject({
      errorCode: 'EMPTY_DRAFT',
      errorMessage: '时间线上还没有视频：请先上传素材。',
    });
    expect(texts(out)).toContain('时间线上还没有视频：请先上传素材。');
    const none = await turn(memoryDeps(baseDraft(), { language: 'zh' }).deps, '去掉字幕');
    expect(none.events.find((e) => e.errorCode)?.errorMessage).toBe('没有可以删除的字幕轨道。');
  });

  it('names the undone and redone edits in Chinese in a Chinese session', async () => {
    const { deps } = memoryDeps(baseDraft(), { language: 'zh-CN' });
    await turn(deps, '改成方形，淡入淡出');
    const undone = texts(await turn(deps, '撤销')).at(-1);
    expect(undone).toMatch(/^完成：已撤销上一步（改画幅、淡入淡出）。/);
    expect(texts(await turn(deps, '重做')).at(-1)).toMatch(/^完成：已重做（改画幅、淡入淡出）。/);
  });

  it('credits, status and upload help answer without editing', async () => {
    const { deps, commits } = memoryDeps(baseDraft());
    expect(texts(await turn(deps, 'balance')).at(-1)).toMatch(/90 credits available/);
    expect(texts(await turn(deps, 'how do I upload?')).at(-1)).toMatch(/upload-video\/nemo_agent\/me\/ses_test/);
    expect(commits).toEqual([]);
  });

  it('export streams render progress and ends with the links', async () => {
    let polls = 0;
    const { deps, commits } = memoryDeps(baseDraft(), {
      render: {
        start: async () => ({ render_id: 'r1', status: 'queued', cost: 3 }),
        status: async (id) =>
          ++polls < 3
            ? { render_id: id, status: 'rendering', progress: polls * 0.4 }
            : { render_id: id, status: 'done', progress: 1, url: 'https://x/dl.mp4', share_url: 'https://x/s/abc' },
      },
    });
    const out = await turn(deps, 'add captions and export', { renderPollMs: 1 });
    expect(commits).toEqual(['add_captions']);
    expect(calls(out).map((c) => c.name)).toEqual(['analyse_media', 'add_captions', 'render']);
    expect(texts(out).some((t) => /Rendering… 40%/.test(t))).toBe(true);
    expect(texts(out).at(-1)).toMatch(/Download: https:\/\/x\/dl\.mp4\nShare: https:\/\/x\/s\/abc/);
  });

  it('with streaming: false, sends no progress texts; only the last event is final for ADK', async () => {
    let polls = 0;
    const { deps } = memoryDeps(baseDraft(), {
      render: {
        start: async () => ({ render_id: 'r1', status: 'queued', cost: 3 }),
        status: async (id) =>
          ++polls < 3
            ? { render_id: id, status: 'rendering', progress: polls * 0.4 }
            : { render_id: id, status: 'done', progress: 1, url: 'https://x/dl.mp4' },
      },
    });
    const out = await turn(deps, 'export', { renderPollMs: 1 }, { partials: false });
    expect(texts(out).some((t) => /Rendering…/.test(t))).toBe(false);
    // "Export started" is still said, but marked partial: ADK's is_final_response() holds for the last text only.
    expect(texts(out).some((t) => /^Export started \(render r1/.test(t))).toBe(true);
    expect(out.events.filter(isFinalResponse)).toEqual([out.events.at(-1)]);
    expect(texts(out).at(-1)).toMatch(/Download: https:\/\/x\/dl\.mp4/);
  });

  it('without a render service, export says which endpoint to call', async () => {
    const { deps } = memoryDeps(baseDraft());
    expect(texts(await turn(deps, 'export')).at(-1)).toMatch(/POST \/api\/render\/proxy\/lambda/);
  });
});
