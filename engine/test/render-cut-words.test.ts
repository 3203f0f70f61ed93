/**
 * Cutting by words, measured on the rendered output: the words cut are gone from the audio (the
 * recogniser no longer hears them), every other word is still there, and the output is shorter
 * by exactly the cut. Real engine, real ffmpeg, Whisper on both ends.
 */
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cutWords } from '../../src/draft/ops/cut-words.ts';
import { DraftSchema } from '../../src/draft/schema.ts';
import { normalizeWords } from '../src/asr/normalize.ts';
import { type Fixture, renderToFile, setUp } from './fixtures.ts';
import { clipWithAudio, durationMs, speak } from './media.ts';

let fx: Fixture;
beforeAll(async () => {
  fx = await setUp();
  await speak(
    join(fx.dir, 'speech.wav'),
    'Welcome to the kitchen. <break time="900ms"/> Today we are making fresh pasta. <break time="900ms"/> Thanks for watching.',
  );
  await clipWithAudio(join(fx.dir, 'talk.mp4'), join(fx.dir, 'speech.wav'));
});
afterAll(() => fx.close());

const heard = (words: { w: string; filler: boolean }[]) =>
  normalizeWords(words.filter((w) => !w.filler).map((w) => w.w));

describe('cut by words, on the rendered output', () => {
  it('removes exactly the words cut and nothing else', async () => {
    const source = await fx.call('POST', '/analyse', { url: fx.files.url('talk.mp4'), content_hash: 'cutwords01' });
    expect(source.status).toBe(200);
    expect(heard(source.json.words)).toContain('pasta');
    const inMs = await durationMs(join(fx.dir, 'talk.mp4'));
    const draft = DraftSchema.parse({
      w: 240,
      h: 320,
      fps: 25,
      d: inMs,
      t: [{ id: 'v', tt: 0, m: {}, sg: [{ id: 's1', src: 'talk', s: 0, d: inMs, in: 0 }] }],
    });
    const ctx = { media: [], analysis: { talk: source.json }, language: 'en' };
    const edited = cutWords.apply(draft, cutWords.args.parse({ from_text: 'Today', to_text: 'pasta' }), ctx);
    const removedMs = draft.d - edited.d;
    expect(removedMs).toBeGreaterThan(1500);

    const { path } = await renderToFile(
      fx,
      {
        draft: edited,
        inputs: { talk: { url: fx.files.url('talk.mp4'), kind: 'video' } },
        output: { url: fx.files.url('cut.mp4') },
        preset: 'ultrafast',
      },
      'cut',
    );
    expect(Math.abs((await durationMs(path)) - edited.d)).toBeLessThanOrEqual(80); // two frames at 25 fps
    const out = await fx.call('POST', '/analyse', { url: fx.files.url(basename(path)), content_hash: 'cutwords02' });
    expect(out.status, JSON.stringify(out.json)).toBe(200);
    const after = heard(out.json.words);
    for (const gone of ['today', 'making', 'fresh', 'pasta']) expect(after, gone).not.toContain(gone);
    for (const kept of ['welcome', 'kitchen', 'thanks', 'watching']) expect(after, kept).toContain(kept);
  });
});
