/**
 * "Trim the pauses" on real recordings: five LibriVox readers joined with 1.5 s gaps, with room
 * tone from -60 to -40 dBFS under everything. The pauses must be found, no speech may fall inside
 * one, and the words must be right (WER against the published transcript).
 */
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyseResult } from '../../src/lib/engine-protocol.ts';
import { FRAME_MS, frameLevelsDb } from '../src/analyse/energy-vad.ts';
import { wordErrorRate } from '../src/asr/wer.ts';
import { type Fixture, setUp } from './fixtures.ts';
import { hasLibrivox, librivoxClip, type SpeechClip } from './speech.ts';

/** Measured 2.9% for Whisper base at every level here (pocketsphinx: 25-34% on the same audio). */
const WHISPER_WER_BOUND = 0.12;

let whisper: Fixture;
let fallback: Fixture;
beforeAll(async () => {
  whisper = await setUp();
  fallback = await setUp({ ASR_PROVIDER: 'pocketsphinx' });
});
afterAll(async () => {
  await whisper.close();
  await fallback.close();
});

/**
 * ms of clearly audible speech (within 20 dB of the clean recording's loud speech) that
 * "trim the pauses" would remove: each pause less the op's default margins (150 ms kept after
 * speech ends, 100 ms before it resumes). The recordings' own hiss and breaths sit lower.
 */
async function speechCut(clip: SpeechClip, pauses: { s: number; e: number }[]): Promise<number> {
  const levels = await frameLevelsDb(clip.cleanPcm);
  const loud = Float32Array.from(levels).sort()[Math.floor(levels.length * 0.95)]! - 20;
  const cuts = pauses.map((p) => ({ s: p.s + 150, e: p.e - 100 })).filter((c) => c.e > c.s);
  let ms = 0;
  levels.forEach((db, i) => {
    const t = i * FRAME_MS + FRAME_MS / 2;
    if (db > loud && cuts.some((c) => t >= c.s && t < c.e)) ms += FRAME_MS;
  });
  return ms;
}

function gapsCovered(clip: SpeechClip, pauses: { s: number; e: number }[]): number[] {
  return clip.spans.slice(1).map((next, i) => {
    const gap = { s: clip.spans[i]!.e, e: next.s };
    const covered = pauses.reduce((sum, p) => sum + Math.max(0, Math.min(p.e, gap.e) - Math.max(p.s, gap.s)), 0);
    return covered / (gap.e - gap.s);
  });
}

async function analyse(fx: Fixture, clip: SpeechClip, hash: string) {
  const t0 = Date.now();
  const res = await fx.call('POST', '/analyse', { url: fx.files.url(basename(clip.path)), content_hash: hash });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return { r: AnalyseResult.parse(res.json), elapsedMs: Date.now() - t0 };
}

describe.runIf(hasLibrivox)('speech analysis on real recordings under room tone', () => {
  for (const db of [-60, -50, -40]) {
    it(`Whisper + Silero, room tone at ${db} dBFS: finds the gaps, cuts no speech, WER < 12%`, async () => {
      const clip = await librivoxClip(whisper.dir, `lv${-db}`, { roomToneDb: db });
      const { r, elapsedMs } = await analyse(whisper, clip, `lv${-db}whisper`);
      expect(r.asr_provider).toBe('whisper');
      for (const share of gapsCovered(clip, r.pauses)) expect(share).toBeGreaterThan(0.8);
      expect(await speechCut(clip, r.pauses)).toBe(0);
      const wer = wordErrorRate(
        clip.words,
        r.words.filter((w) => !w.filler).map((w) => w.w),
      );
      console.log(
        `whisper at ${db} dBFS room tone: WER ${(wer * 100).toFixed(1)}% on ${clip.words.length} words, ${r.pauses.length} pauses, ` +
          `${(r.duration_ms / 1000).toFixed(1)} s analysed in ${(elapsedMs / 1000).toFixed(1)} s`,
      );
      expect(wer).toBeLessThan(WHISPER_WER_BOUND);
      // Words never start inside a pause: captions cannot show them during a cut.
      for (const w of r.words) expect(r.pauses.some((p) => w.s >= p.s && w.e <= p.e && w.conf >= 0.5)).toBe(false);
    });
  }

  it('the offline fallback (energy floor + pocketsphinx) finds the same gaps under -50 dBFS room tone', async () => {
    const clip = await librivoxClip(fallback.dir, 'lv50', { roomToneDb: -50 });
    const { r } = await analyse(fallback, clip, 'lv50sphinx');
    expect(r.asr_provider).toBe('pocketsphinx');
    for (const share of gapsCovered(clip, r.pauses)) expect(share).toBeGreaterThan(0.8);
    expect(await speechCut(clip, r.pauses)).toBe(0);
  });
});
