import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyseResult } from '../../src/lib/engine-protocol.ts';
import { type Fixture, setUp } from './fixtures.ts';
import { ffmpeg, speak } from './media.ts';

let fx: Fixture;
beforeAll(async () => {
  fx = await setUp();
  // Three phrases with two known 1.2 s breaks, then quietened by 18 dB: the threshold must follow the clip.
  await speak(
    join(fx.dir, 'speech.wav'),
    'Hello there my friend. <break time="1200ms"/> This is a test of the engine. <break time="1200ms"/> Goodbye now.',
  );
  await ffmpeg('-i', join(fx.dir, 'speech.wav'), '-af', 'volume=-18dB', '-ar', '44100', join(fx.dir, 'quiet.m4a'));
});
afterAll(() => fx.close());

describe('POST /analyse', () => {
  it('finds the known pauses relative to the clip loudness, and caches by content hash', async () => {
    const req = { url: fx.files.url('quiet.m4a'), content_hash: 'abc123def456', words: true };
    const t0 = Date.now();
    const first = await fx.call('POST', '/analyse', req);
    const firstMs = Date.now() - t0;
    expect(first.status).toBe(200);
    const r = AnalyseResult.parse(first.json);
    expect(r.cached).toBe(false);
    expect(r.asr_provider).toBe('whisper');
    const inner = r.pauses.filter((p) => p.s > 200 && p.e < r.duration_ms - 200);
    expect(inner).toHaveLength(2);
    // espeak places the breaks at ~1.13-2.34 s and ~3.80-5.02 s.
    expect(Math.abs(inner[0].s - 1133)).toBeLessThan(150);
    expect(Math.abs(inner[0].e - 2345)).toBeLessThan(150);
    expect(Math.abs(inner[1].s - 3803)).toBeLessThan(150);
    expect(Math.abs(inner[1].e - 5017)).toBeLessThan(150);
    expect(r.speech.length).toBe(3);
    expect(r.speech[1]).toEqual({ s: inner[0].e, e: inner[1].s });
    expect(r.words.length).toBeGreaterThan(3);
    for (const w of r.words) expect(w.e).toBeGreaterThanOrEqual(w.s);
    // Every recognised word lies in speech, not inside a pause (50 ms of slack).
    for (const w of r.words) for (const p of inner) expect(w.s >= p.e - 50 || w.e <= p.s + 50).toBe(true);

    const t1 = Date.now();
    const second = await fx.call('POST', '/analyse', req);
    expect(second.json.cached).toBe(true);
    expect({ ...second.json, cached: false }).toEqual(first.json);
    expect(Date.now() - t1).toBeLessThan(Math.max(100, firstMs / 5));
  });

  it('pauses only when words=false; 400 names a bad field', async () => {
    const r = await fx.call('POST', '/analyse', {
      url: fx.files.url('speech.wav'),
      content_hash: 'feedbeef00',
      words: false,
    });
    expect(r.json.words).toEqual([]);
    expect(r.json.asr_provider).toBe('none');
    expect(r.json.pauses.length).toBeGreaterThanOrEqual(2);
    // A recogniser that only knows English (the pocketsphinx fallback) gives Chinese sessions
    // pauses and no (wrong) words.
    const sphinx = await setUp({ ASR_PROVIDER: 'pocketsphinx', ENGINE_CACHE_DIR: join(fx.dir, 'cache') });
    const zh = await sphinx.call('POST', '/analyse', {
      url: fx.files.url('speech.wav'),
      content_hash: 'feedbeef00',
      language: 'zh-CN',
    });
    await sphinx.close();
    expect(zh.json).toMatchObject({ words: [], asr_provider: 'none', language: 'zh-CN' });
    const bad = await fx.call('POST', '/analyse', { url: fx.files.url('speech.wav'), content_hash: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/^content_hash:/);
    const traversal = await fx.call('POST', '/analyse', {
      url: fx.files.url('speech.wav'),
      content_hash: '../../etc/x',
    });
    expect(traversal.status).toBe(400);
  });

  it('runs one analysis at a time engine-wide; the rest queue with their positions', async () => {
    for (const n of [1, 2, 3])
      await ffmpeg('-i', join(fx.dir, 'speech.wav'), '-af', `volume=-${n}dB`, join(fx.dir, `q${n}.wav`));
    const jobs = [1, 2, 3].map((n) =>
      fx.call('POST', '/analyse', { url: fx.files.url(`q${n}.wav`), content_hash: `queue0${n}abc`, words: true }),
    );
    let seen: { running: number; queued: { content_hash: string; position: number }[] } | null = null;
    for (let i = 0; i < 200 && !seen; i++) {
      const { json } = await fx.call('GET', '/analyses');
      if (json.queued.length === 2) seen = json;
      else await new Promise((r) => setTimeout(r, 10));
    }
    expect(seen).toMatchObject({ max: 1, running: 1 });
    expect(seen!.queued.map((q) => q.position)).toEqual([1, 2]);
    for (const r of await Promise.all(jobs)) expect(r.status).toBe(200);
    const { json: idle } = await fx.call('GET', '/health');
    expect(idle.analyses).toEqual({ max: 1, running: 0, queued: [] });
  });
});
