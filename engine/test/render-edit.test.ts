/** Render tests on a talking clip: trim the pauses found by /analyse, captions, SRT/VTT. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DraftInput } from '../../src/draft/schema.ts';
import { type Fixture, renderToFile, setUp } from './fixtures.ts';
import { clipWithAudio, durationMs, ffmpeg, grayCrop, meanAbsDiff, silences, speak } from './media.ts';
import { parseSubtitles } from './subtitles.ts';

let fx: Fixture;
beforeAll(async () => {
  fx = await setUp();
  await speak(
    join(fx.dir, 'speech.wav'),
    'Hello there my friend. <break time="1200ms"/> This is a test of the engine. <break time="1200ms"/> Goodbye now.',
  );
  await clipWithAudio(join(fx.dir, 'talk.mp4'), join(fx.dir, 'speech.wav'));
  await ffmpeg(
    '-f',
    'lavfi',
    '-i',
    'color=c=0x404040:s=320x180:r=25:d=3',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    join(fx.dir, 'gray.mp4'),
  );
});
afterAll(() => (process.env.KEEP_TEST_DIR ? undefined : fx.close()));

async function render(draft: DraftInput, inputs: Record<string, { url: string; kind: string }>, name: string) {
  const output = {
    url: fx.files.url(`${name}.mp4`),
    srt_url: fx.files.url(`${name}.srt`),
    vtt_url: fx.files.url(`${name}.vtt`),
  };
  return renderToFile(fx, { draft, inputs, output, preset: 'ultrafast' }, name);
}

describe('render: trim pauses', () => {
  it('cuts the silences found by analysis; durations match to a frame', async () => {
    const source = await silences(join(fx.dir, 'talk.mp4'), -40, 0.8);
    expect(source.length).toBe(2); // the two 1.2 s breaks are there before the edit
    const analysis = await fx.call('POST', '/analyse', {
      url: fx.files.url('talk.mp4'),
      content_hash: 'talk0001',
      words: false,
    });
    const speech: { s: number; e: number }[] = analysis.json.speech;
    expect(speech).toHaveLength(3);
    let cursor = 0;
    const sg = speech.map((iv, i) => {
      const seg = { id: `s${i}`, src: 'talk', s: cursor, d: iv.e - iv.s, in: iv.s, m: {} };
      cursor += iv.e - iv.s;
      return seg;
    });
    const draft = { w: 240, h: 320, fps: 25, d: cursor, t: [{ id: 'v', tt: 0 as const, m: {}, sg }] };
    const { job, path } = await render(draft, { talk: { url: fx.files.url('talk.mp4'), kind: 'video' } }, 'trim');
    expect(job.output.captions).toBe(false);
    const frame = 40;
    expect(Math.abs((await durationMs(path, 'v')) - cursor)).toBeLessThanOrEqual(frame);
    expect(Math.abs((await durationMs(path, 'a')) - cursor)).toBeLessThanOrEqual(frame + 22); // one AAC frame
    expect(await silences(path, -40, 0.8)).toEqual([]);
    // No captions were made, so none were uploaded.
    expect(fx.files.puts.has('/trim.srt')).toBe(false);
  });
});

describe('render: captions', () => {
  const words = [
    { w: 'Hello', s: 1000, e: 1300 },
    { w: 'caption', s: 1300, e: 1650 },
    { w: 'world', s: 1650, e: 2000 },
  ];
  it('burns captions in only during their time, highlights the current word, writes SRT and VTT', async () => {
    const draft = {
      w: 320,
      h: 180,
      fps: 25,
      d: 3000,
      t: [
        { id: 'v', tt: 0 as const, m: {}, sg: [{ id: 'a', src: 'gray', s: 0, d: 3000 }] },
        {
          id: 'c',
          tt: 7 as const,
          m: { kind: 'caption' },
          sg: [{ id: 'c1', text: 'Hello caption world', s: 1000, d: 1000, m: { pos: 'bottom' as const, words } }],
        },
      ],
    };
    const { job, path } = await render(draft, { gray: { url: fx.files.url('gray.mp4'), kind: 'video' } }, 'cap');
    expect(job.output.captions).toBe(true);
    const band: [number, number, number, number] = [80, 148, 160, 22]; // where bottom captions sit
    const before = await grayCrop(path, 0.5, band);
    const during1 = await grayCrop(path, 1.1, band);
    const during2 = await grayCrop(path, 1.5, band);
    const after = await grayCrop(path, 2.5, band);
    expect(meanAbsDiff(before, during1)).toBeGreaterThan(5);
    expect(meanAbsDiff(before, after)).toBeLessThan(1);
    // The same text with another word highlighted: a visible but smaller change.
    const highlightMove = meanAbsDiff(during1, during2);
    expect(highlightMove).toBeGreaterThan(0.3);
    expect(highlightMove).toBeLessThan(meanAbsDiff(before, during1));

    const srt = parseSubtitles(fx.files.puts.get('/cap.srt')!.toString('utf8'), 'srt');
    const vtt = parseSubtitles(fx.files.puts.get('/cap.vtt')!.toString('utf8'), 'vtt');
    expect(srt).toEqual([{ s: 1000, e: 2000, text: 'Hello caption world' }]);
    expect(vtt).toEqual(srt);
  });
});

describe('render: CJK text', () => {
  it('draws Chinese captions and titles with the packaged CJK font', async () => {
    const draft = {
      w: 320,
      h: 180,
      fps: 25,
      d: 2000,
      t: [
        { id: 'v', tt: 0 as const, m: {}, sg: [{ id: 'a', src: 'gray', s: 0, d: 2000 }] },
        {
          id: 'x',
          tt: 7 as const,
          m: {},
          sg: [{ id: 't', text: '剪辑视频', s: 0, d: 1000, m: { pos: 'top' as const } }],
        },
        {
          id: 'c',
          tt: 7 as const,
          m: { kind: 'caption' },
          sg: [{ id: 'c1', text: '嗯 大家好，欢迎观看', s: 1000, d: 1000, m: { pos: 'bottom' as const } }],
        },
      ],
    };
    const { path } = await render(draft, { gray: { url: fx.files.url('gray.mp4'), kind: 'video' } }, 'zh');
    const top: [number, number, number, number] = [80, 10, 160, 30];
    const band: [number, number, number, number] = [80, 148, 160, 22];
    expect(meanAbsDiff(await grayCrop(path, 0.5, top), await grayCrop(path, 1.5, top))).toBeGreaterThan(5);
    expect(meanAbsDiff(await grayCrop(path, 1.5, band), await grayCrop(path, 0.5, band))).toBeGreaterThan(3);
    const srt = parseSubtitles(fx.files.puts.get('/zh.srt')!.toString('utf8'), 'srt');
    expect(srt).toEqual([{ s: 1000, e: 2000, text: '嗯 大家好，欢迎观看' }]);
  });
});
