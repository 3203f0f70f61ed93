/**
 * The RenderWorkflow's chunked path (src/render/chunked-render.ts): one step per chunk, the audio
 * step and the join, progress as the parts' weighted sum, one chunk failing and retried alone.
 * This project has no engine (ENGINE_URL is empty), so `plan render` goes whole unless mocked and
 * the part steps are mocked, as the single path's engine steps are in render.test.ts; the node
 * test test/node/render-chunked-e2e.test.ts runs the same path on two real engines.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { chunkCount, chunkedProgress, chunkKey, partWeights } from '../../src/render/chunked-render.ts';
import {
  draftOf,
  expectBalanced,
  fakeEngineOutput,
  introspect,
  ledgerFor,
  poll,
  postRender,
  userWithClip,
} from './render-helpers.ts';

const file = (key: string) => ({ key, putUrl: `http://x/${key}?m=PUT`, getUrl: `http://x/${key}?m=GET` });

/** What `plan render` returns for 3 chunks of a 30 s, 900-frame draft. */
function planFor(userId: string, renderId: string) {
  return {
    chunks: [
      { start_frame: 0, end_frame: 300, file: file(chunkKey(userId, renderId, 'video-0.mp4')) },
      { start_frame: 300, end_frame: 600, file: file(chunkKey(userId, renderId, 'video-1.mp4')) },
      { start_frame: 600, end_frame: 900, file: file(chunkKey(userId, renderId, 'video-2.mp4')) },
    ],
    audio: file(chunkKey(userId, renderId, 'audio.m4a')),
    totalFrames: 900,
  };
}

const chunkOut = (frames: number) => ({ size: 1000, duration_ms: (frames * 1000) / 30, captions: false, frames });

describe('chunked render workflow', () => {
  it('renders every chunk and the sound in their own steps, joins, settles, and deletes the parts', async () => {
    const u = await userWithClip();
    const rid = 'render_chunked_1';
    await fakeEngineOutput(u.user_id, rid);
    const plan = planFor(u.user_id, rid);
    // Part files as the engines would have left them: the workflow deletes them after the join.
    for (const key of [...plan.chunks.map((c) => c.file.key), plan.audio.key]) await env.MEDIA.put(key, 'part');
    await using wf = await introspect(u.user_id, rid);
    await wf.modify(async (m) => {
      await m.disableSleeps();
      await m.disableRetryDelays();
      await m.mockStepResult({ name: 'plan render' }, plan);
      await m.mockStepResult({ name: 'render chunk 1 of 3' }, chunkOut(300));
      // Chunk 2 fails once (its engine died): only its step runs again.
      await m.mockStepError({ name: 'render chunk 2 of 3' }, new Error('the media engine stopped answering'), 1);
      await m.mockStepResult({ name: 'render chunk 2 of 3' }, chunkOut(300));
      await m.mockStepResult({ name: 'render chunk 3 of 3' }, chunkOut(300));
      await m.mockStepResult({ name: 'render audio' }, { size: 500, duration_ms: 30_000, captions: false });
      await m.mockStepResult(
        { name: 'join chunks' },
        { size: 2048, duration_ms: 30_000, captions: false, frames: 900 },
      );
    });
    await postRender(u.token, { id: rid, sessionId: u.session_id, draft: draftOf(u.mediaId, 30_000) });
    await wf.waitForStatus('complete');
    for (const name of ['render chunk 1 of 3', 'render chunk 2 of 3', 'render chunk 3 of 3'])
      expect(await wf.waitForStepResult({ name })).toEqual(chunkOut(300));
    expect(await wf.waitForStepResult({ name: 'join chunks' })).toMatchObject({ frames: 900 });
    expect(await wf.waitForStepResult({ name: 'delete chunk files' })).toBe(4);
    const p = await poll(u.token, rid);
    expect(p.data).toMatchObject({ status: 'done', progress: 1 });
    expect(await expectBalanced(u.user_id)).toMatchObject({ available: 97, frozen: 0, spent: 3 });
    for (const c of plan.chunks) expect(await env.MEDIA.head(c.file.key)).toBeNull();
    expect(await env.MEDIA.head(plan.audio.key)).toBeNull();
  });

  it('fails and refunds when a chunk keeps failing through its retries, and deletes the parts', async () => {
    const u = await userWithClip();
    const rid = 'render_chunked_fail';
    const plan = planFor(u.user_id, rid);
    await using wf = await introspect(u.user_id, rid);
    await wf.modify(async (m) => {
      await m.disableSleeps();
      await m.disableRetryDelays();
      await m.mockStepResult({ name: 'plan render' }, plan);
      await m.mockStepResult({ name: 'render chunk 1 of 3' }, chunkOut(300));
      await m.mockStepError(
        { name: 'render chunk 2 of 3' },
        new Error('the media engine could not render this part: ffmpeg exit code 1'),
      );
      await m.mockStepResult({ name: 'render chunk 3 of 3' }, chunkOut(300));
      await m.mockStepResult({ name: 'render audio' }, { size: 500, duration_ms: 30_000, captions: false });
    });
    await postRender(u.token, { id: rid, sessionId: u.session_id, draft: draftOf(u.mediaId, 30_000) });
    await wf.waitForStatus('complete');
    const p = await poll(u.token, rid);
    expect(p.data.status).toBe('failed');
    expect(p.data.error).toMatch(/could not render this part: ffmpeg exit code 1/);
    expect(await ledgerFor(u.user_id, rid)).toEqual([
      ['refund', 3],
      ['freeze', 3],
    ]);
    expect(await wf.waitForStepResult({ name: 'delete chunk files' })).toBe(4);
  });

  it('keeps a render whole without a pool, or when it is short', async () => {
    const u = await userWithClip();
    const rid = 'render_whole_plan';
    await using wf = await introspect(u.user_id, rid);
    await wf.modify(async (m) => {
      await m.disableSleeps();
      await m.mockStepResult({ name: 'start engine job' }, 'job_1');
      await m.mockStepResult({ name: 'poll engine 1' }, { job_id: 'job_1', status: 'failed', progress: 0, error: 'x' });
    });
    await postRender(u.token, { id: rid, sessionId: u.session_id, draft: draftOf(u.mediaId, 200_000) });
    await wf.waitForStatus('complete');
    // No engine configured here: the plan is the whole render, and the single path ran.
    expect(await wf.waitForStepResult({ name: 'plan render' })).toBeNull();
    expect(await wf.waitForStepResult({ name: 'start engine job' })).toBe('job_1');
  });
});

describe('POST refuses a draft that carries a chunk window', () => {
  it('answers 400 naming draft.m.window and freezes nothing', async () => {
    const u = await userWithClip();
    const res = await postRender(u.token, {
      id: 'render_windowed',
      sessionId: u.session_id,
      draft: draftOf(u.mediaId, 10_000, { m: { window: { start_frame: 0, end_frame: 30 } } }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: number; message: string };
    expect(body.message).toMatch(/draft\.m\.window: only a chunked render sets it/);
    expect(await expectBalanced(u.user_id)).toMatchObject({ available: 100, frozen: 0 });
  });
});

describe('chunk count and progress', () => {
  it('chunks only long drafts with more than one engine, one chunk per engine at most, none under a quarter of the threshold', () => {
    expect(chunkCount(1, 600_000, 120_000)).toBe(1);
    expect(chunkCount(4, 119_999, 120_000)).toBe(1);
    expect(chunkCount(4, 120_000, 120_000)).toBe(4);
    expect(chunkCount(8, 130_000, 120_000)).toBe(5); // ceil(130 s / 30 s)
    expect(chunkCount(3, 3_600_000, 120_000)).toBe(3);
  });

  it('weighs the chunks by their frames; the sum never goes back and reaches 1', () => {
    const plan = {
      chunks: [
        { start_frame: 0, end_frame: 600, file: file('a') },
        { start_frame: 600, end_frame: 900, file: file('b') },
      ],
      audio: file('c'),
      totalFrames: 900,
    };
    const w = partWeights(plan);
    expect(w.chunks[0]).toBeCloseTo(0.85 * (600 / 900));
    expect(chunkedProgress(w, { chunks: [1, 0], audio: 0, join: 0 })).toBeCloseTo(0.5667, 3);
    expect(chunkedProgress(w, { chunks: [1, 1], audio: 1, join: 0 })).toBeCloseTo(0.9);
    expect(chunkedProgress(w, { chunks: [1, 1], audio: 1, join: 1 })).toBe(1);
  });
});
