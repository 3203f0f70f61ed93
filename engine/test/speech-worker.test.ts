/**
 * The Python speech worker as a process: it dies mid-job and comes back, a missing model falls
 * back to pocketsphinx with the reason on /health, a broken model is a clear 503, and fillers
 * (which Whisper usually drops) survive in the words.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSpeechStack } from '../src/asr/registry.ts';
import { loadConfig } from '../src/config.ts';
import { type Fixture, setUp } from './fixtures.ts';
import { ffmpeg, speak } from './media.ts';
import { hasLibrivox, librivoxClip } from './speech.ts';

const speech = createSpeechStack(loadConfig({}));
let fx: Fixture;
beforeAll(async () => {
  fx = await setUp({}, { speech });
});
afterAll(() => fx.close());

describe('speech worker', () => {
  it('reports the provider, model and detector on /health', async () => {
    const { json } = await fx.call('GET', '/health');
    expect(json).toMatchObject({ asr: 'whisper', asr_model: 'base', vad: 'silero' });
    expect(json.asr_fallback_reason).toBeUndefined();
  });

  it.runIf(hasLibrivox)('answers 503 with a clear message when the worker dies mid-job, then restarts', async () => {
    const clip = await librivoxClip(fx.dir, 'killed');
    const url = fx.files.url('killed.m4a');
    const pending = fx.call('POST', '/analyse', { url, content_hash: 'killedmidjob' });
    // Wait until the worker is decoding this clip, then kill it from outside, as the OOM killer would.
    const until = Date.now() + 30_000;
    while (!speech.worker?.busy && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    const startsBefore = speech.worker!.starts;
    process.kill(speech.worker!.pid!, 'SIGKILL');
    const failed = await pending;
    expect(failed.status).toBe(503);
    expect(failed.json).toMatchObject({ retryable: true });
    expect(failed.json.error).toMatch(/speech worker stopped \(signal SIGKILL\)/);
    expect(failed.json.error).not.toMatch(/Traceback|at \w+ \(/); // no stack traces to users

    const retried = await fx.call('POST', '/analyse', { url, content_hash: 'killedmidjob' });
    expect(retried.status).toBe(200);
    expect(retried.json.words.length).toBeGreaterThan(clip.words.length * 0.9);
    expect(speech.worker!.starts).toBe(startsBefore + 1);
    const { json } = await fx.call('GET', '/health');
    expect(json.asr_worker).toMatchObject({ loaded: true, starts: startsBefore + 1, model: 'base' });
  });

  it('keeps fillers: "um" and "uh" come back as words marked filler', async () => {
    await speak(
      join(fx.dir, 'fillers.wav'),
      'So, um, I think we should, uh, go to the river today. <break time="600ms"/> Um, maybe tomorrow.',
    );
    await ffmpeg('-i', join(fx.dir, 'fillers.wav'), '-c:a', 'aac', join(fx.dir, 'fillers.m4a'));
    const r = await fx.call('POST', '/analyse', { url: fx.files.url('fillers.m4a'), content_hash: 'fillers01' });
    expect(r.status).toBe(200);
    const fillers = r.json.words.filter((w: { filler: boolean }) => w.filler);
    expect(fillers.map((w: { w: string }) => w.w.replace(/\W/g, '').toLowerCase())).toEqual(['um', 'uh', 'um']);
    const spoken = r.json.words.filter((w: { filler: boolean }) => !w.filler).map((w: { w: string }) => w.w);
    expect(spoken.join(' ')).toMatch(/think we should,? go to the river today/i);
  });

  it("biases recognition toward hotwords (a session's corrections), cached apart", async () => {
    await speak(join(fx.dir, 'name.wav'), 'Thanks Siobhan, for coming to the show. Siobhan is our guest today.');
    const url = fx.files.url('name.wav');
    const plain = await fx.call('POST', '/analyse', { url, content_hash: 'hotwords01' });
    const biased = await fx.call('POST', '/analyse', { url, content_hash: 'hotwords01', hotwords: 'Siobhan' });
    const text = (r: { json: { words: { w: string }[] } }) => r.json.words.map((w) => w.w).join(' ');
    expect(text(plain)).not.toMatch(/Siobhan/); // Whisper base writes "Shivali" for espeak's voice
    expect(text(biased).match(/Siobhan/g)).toHaveLength(2);
    expect(biased.json.cached).toBe(false);
  });

  it('falls back to pocketsphinx, saying why, when the model is not installed', async () => {
    const missing = await setUp({ ENGINE_MODELS_DIR: join(fx.dir, 'no-models') });
    const { json } = await missing.call('GET', '/health');
    await missing.close();
    expect(json).toMatchObject({ asr: 'pocketsphinx', vad: 'energy' });
    expect(json.asr_fallback_reason).toMatch(/no Whisper model at .*no-models\/base \(run npm run setup\)/);
  });

  it('answers 503 naming the problem when the model is broken', async () => {
    const broken = join(fx.dir, 'broken-model');
    await mkdir(broken, { recursive: true });
    await writeFile(join(broken, 'model.bin'), 'not a model');
    const bad = await setUp({ ASR_MODEL_DIR: broken });
    await ffmpeg('-f', 'lavfi', '-i', 'sine=f=300:d=2', join(bad.dir, 'tone.wav'));
    const r = await bad.call('POST', '/analyse', { url: bad.files.url('tone.wav'), content_hash: 'broken01' });
    await bad.close();
    expect(r.status).toBe(503);
    expect(r.json.error).toMatch(/could not load its model/);
  });
});
