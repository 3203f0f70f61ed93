/**
 * "Trim the pauses, add captions" on an hour-long talk through the real route and UserDO: the
 * trim keeps the longest pauses that fit 400 pieces of the file, the hour's captions (over 500
 * cues) are saved in the DO's SQLite with the draft, and the reply says what was trimmed.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { AdkEvent } from '../../src/agent/sse.ts';
import { DRAFT_LIMITS, segmentLimitProblem } from '../../src/draft/limits.ts';
import { type Draft, DraftSchema } from '../../src/draft/schema.ts';
import { MAX_STORED_DRAFT_BYTES } from '../../src/durable/drafts.ts';
import { userStub } from '../../src/durable/user-stub.ts';
import type { AnalyseResult } from '../../src/lib/engine-protocol.ts';
import { events, message, runSse } from './chat-fixtures.ts';
import { call, json, userWithSession } from './helpers.ts';

const HOUR_MS = 3600_000;

/** 1,200 pauses of 0.5-2.49 s, each after 0.5-2.5 s of words 350 ms apart. */
function hourResult(hash: string): AnalyseResult {
  const pauses: AnalyseResult['pauses'] = [];
  const speech: AnalyseResult['speech'] = [];
  const words: AnalyseResult['words'] = [];
  const slotMs = HOUR_MS / 1200;
  for (let i = 0; i < 1200; i++) {
    const start = i * slotMs;
    const speechEnd = start + slotMs - (500 + ((i * 7919) % 200) * 10);
    speech.push({ s: start, e: speechEnd });
    for (let t = start + 50, n = 0; t + 300 <= speechEnd; t += 350, n++)
      words.push({ w: n % 6 === 5 ? 'talk.' : 'word', s: t, e: t + 300, conf: 0.9, filler: false });
    pauses.push({ s: speechEnd, e: start + slotMs });
  }
  return {
    content_hash: hash,
    duration_ms: HOUR_MS,
    pauses,
    speech,
    words,
    language: 'en',
    asr_provider: 'fixture',
    cached: false,
  };
}

describe('an hour-long talk in one chat turn', () => {
  it('"trim the pauses, add captions" saves a valid draft and says how many pauses it trimmed', async () => {
    const u = await userWithSession();
    const key = `u/${u.user_id}/uploads/med_hour1.mp4`;
    await env.MEDIA.put(key, new Uint8Array(1024).fill(1));
    const info = {
      media_id: 'med_hour1',
      name: 'podcast.mp4',
      kind: 'video' as const,
      mime: 'video/mp4',
      size: 1024,
      r2_key: key,
    };
    await userStub(env, u.user_id).addMedia(
      u.session_id,
      { ...info, content_hash: 'hash_hour_0001' },
      {
        kind: 'video',
        format: 'mp4',
        duration_ms: HOUR_MS,
        width: 1280,
        height: 720,
        fps: 30,
        rotation: 0,
        video_codec: 'h264',
        audio_codec: 'aac',
        has_audio: true,
      },
    );
    await env.MEDIA.put(
      `u/${u.user_id}/analysis/hash_hour_0001.en.v2.json`,
      JSON.stringify(hourResult('hash_hour_0001')),
    );

    const evs: AdkEvent[] = await events(
      await runSse(u.token, {
        appName: 'nemo_agent',
        sessionId: u.session_id,
        newMessage: message('trim the pauses, add captions'),
      }),
    );
    const text =
      evs
        .flatMap((e) => e.content?.parts ?? [])
        .flatMap((p) => ('text' in p ? [p.text] : []))
        .at(-1) ?? '';
    expect(text).toMatch(/^Done: .*trimmed the pauses.*added [\d,]+ captions/);
    expect(text).toMatch(
      /This 60-minute video has 1,200 pauses of 0\.5 s or longer; I trimmed the 3\d\d longest \(1\.\d+ s or longer\)/,
    );

    const res = await call(`/api/state/nemo_agent/me/${u.session_id}/latest`, { token: u.token });
    const draft = (await json<{ draft: Draft }>(res)).data.draft;
    expect(DraftSchema.safeParse(draft).success).toBe(true);
    expect(segmentLimitProblem(draft.t)).toBeNull();
    const video = draft.t.find((t) => t.tt === 0)!;
    expect(video.sg.length).toBeLessThanOrEqual(DRAFT_LIMITS.maxSegmentsPerSource);
    const trimmed = Number(/I trimmed the (\d+) longest/.exec(text)![1]);
    expect(video.sg.length).toBe(trimmed + 1);
    const captions = draft.t.find((t) => t.m.kind === 'caption')!;
    expect(captions.sg.length).toBeGreaterThan(DRAFT_LIMITS.maxSegments);
    expect(draft.d).toBeLessThan(HOUR_MS);
  });

  it('a draft over what one saved version may hold (the DO row) is refused with a clear message', async () => {
    const u = await userWithSession();
    const stub = userStub(env, u.user_id);
    const before = await call(`/api/state/nemo_agent/me/${u.session_id}/latest`, { token: u.token });
    const version = (await json<{ draft_version: number }>(before)).data.draft_version;
    expect(version).toBe(0);
    // 6,000 cues (the cap) of 3 hours, each with 30 timed words: ~2.5 MB of JSON.
    const cueMs = DRAFT_LIMITS.maxMs / DRAFT_LIMITS.maxTextSegments;
    const sg = Array.from({ length: DRAFT_LIMITS.maxTextSegments }, (_, i) => ({
      id: `c${i}`,
      text: 'word '.repeat(30).trim(),
      s: i * cueMs,
      d: cueMs,
      m: {
        words: Array.from({ length: 30 }, (_, k) => ({ w: 'word', s: i * cueMs + k * 50, e: i * cueMs + k * 50 + 40 })),
      },
    }));
    const draft = DraftSchema.parse({
      w: 160,
      h: 90,
      d: DRAFT_LIMITS.maxMs,
      t: [{ id: 'cap', tt: 7, m: { kind: 'caption' }, sg }],
    });
    expect(JSON.stringify(draft).length).toBeGreaterThan(MAX_STORED_DRAFT_BYTES);
    await expect(stub.commitDraft(u.session_id, draft, { op: 'test' })).rejects.toThrow(
      /over the 1\.9 MB one saved version may hold/,
    );
    const after = await call(`/api/state/nemo_agent/me/${u.session_id}/latest`, { token: u.token });
    expect((await json<{ draft_version: number }>(after)).data.draft_version).toBe(version);
  });
});
