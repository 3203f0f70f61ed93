/**
 * An hour of talk makes ~1,000 caption cues, more than DRAFT_LIMITS.maxSegments: cues have their
 * own cap (maxTextSegments) because a caption track is one libass filter over one .ass file. This
 * renders 1,500 cues (one every 40 ms over 60 s of 160x90) and checks every cue reaches the SRT.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRAFT_LIMITS } from '../../src/draft/limits.ts';
import { DraftSchema } from '../../src/draft/schema.ts';
import { type Fixture, renderToFile, setUp } from './fixtures.ts';
import { durationMs, ffmpeg, grayCrop, meanAbsDiff } from './media.ts';
import { parseSubtitles } from './subtitles.ts';

const CUES = 1500;
const CUE_MS = 40;
const TOTAL_MS = CUES * CUE_MS;

let fx: Fixture;
beforeAll(async () => {
  fx = await setUp();
  await ffmpeg(
    '-f',
    'lavfi',
    '-i',
    `color=c=0x404040:s=160x90:r=25:d=${TOTAL_MS / 1000}`,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    join(fx.dir, 'gray.mp4'),
  );
});
afterAll(() => (process.env.KEEP_TEST_DIR ? undefined : fx.close()));

describe('render: many caption cues', () => {
  it(`burns in ${CUES} cues with one libass filter and writes all of them to the SRT`, async () => {
    const draft = {
      w: 160,
      h: 90,
      fps: 25,
      d: TOTAL_MS,
      t: [
        { id: 'v', tt: 0 as const, m: {}, sg: [{ id: 'a', src: 'gray', s: 0, d: TOTAL_MS }] },
        {
          id: 'c',
          tt: 7 as const,
          m: { kind: 'caption' },
          sg: Array.from({ length: CUES }, (_, i) => ({ id: `c${i}`, text: `cue ${i}`, s: i * CUE_MS, d: CUE_MS })),
        },
      ],
    };
    expect(CUES).toBeGreaterThan(DRAFT_LIMITS.maxSegments);
    expect(DraftSchema.safeParse(draft).success).toBe(true);
    const output = { url: fx.files.url('many.mp4'), srt_url: fx.files.url('many.srt') };
    const { job, path } = await renderToFile(
      fx,
      { draft, inputs: { gray: { url: fx.files.url('gray.mp4'), kind: 'video' } }, output, preset: 'ultrafast' },
      'many',
    );
    expect(job.output.captions).toBe(true);
    expect(Math.abs((await durationMs(path)) - TOTAL_MS)).toBeLessThanOrEqual(40);
    const srt = parseSubtitles(fx.files.puts.get('/many.srt')!.toString('utf8'), 'srt');
    expect(srt).toHaveLength(CUES);
    expect(srt[0]).toEqual({ s: 0, e: CUE_MS, text: 'cue 0' });
    expect(srt.at(-1)).toEqual({ s: TOTAL_MS - CUE_MS, e: TOTAL_MS, text: `cue ${CUES - 1}` });
    expect(srt.map((c) => c.text)).toEqual(Array.from({ length: CUES }, (_, i) => `cue ${i}`));
    // Burned in: the caption band differs from a caption-free gray frame late in the timeline too.
    await ffmpeg(
      '-f',
      'lavfi',
      '-i',
      'color=c=0x404040:s=160x90:r=25:d=1',
      '-c:v',
      'libx264',
      join(fx.dir, 'bare.mp4'),
    );
    const band: [number, number, number, number] = [0, 60, 160, 30];
    const bare = await grayCrop(join(fx.dir, 'bare.mp4'), 0.5, band);
    expect(meanAbsDiff(bare, await grayCrop(path, 55.01, band))).toBeGreaterThan(2);
  }, 120_000);
});
