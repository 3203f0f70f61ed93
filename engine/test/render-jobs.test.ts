/** The job API: cancel kills ffmpeg and uploads nothing, failures upload nothing, bad drafts get 400. */

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, setUp, waitForJob } from './fixtures.ts';
import { ffmpeg } from './media.ts';

let fx: Fixture;
beforeAll(async () => {
  fx = await setUp();
  await ffmpeg(
    ...['-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=25:d=30', '-f', 'lavfi', '-i', 'sine=d=30'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', join(fx.dir, 'long.mp4')],
  );
});
afterAll(() => fx.close());

const draftOf = (src: string, d: number, w = 320, h = 240) => ({
  w,
  h,
  fps: 25,
  d,
  t: [{ id: 'v', tt: 0, m: {}, sg: [{ id: 's', src, s: 0, d }] }],
});

describe('render jobs', () => {
  it('DELETE cancels a running render: status cancelled, nothing written to the output', async () => {
    const start = await fx.call('POST', '/render', {
      draft: draftOf('long', 30_000, 1280, 720),
      inputs: { long: { url: fx.files.url('long.mp4'), kind: 'video' } },
      output: { url: fx.files.url('cancelled.mp4') },
      preset: 'medium',
    });
    expect(start.status).toBe(202);
    const id = start.json.job_id;
    for (let i = 0; i < 300; i++) {
      const { json } = await fx.call('GET', `/jobs/${id}`);
      if (json.progress > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const running = (await fx.call('GET', `/jobs/${id}`)).json;
    expect(running.status).toBe('rendering');
    expect(running.progress).toBeGreaterThan(0);
    expect(running.progress).toBeLessThan(0.9);
    const del = await fx.call('DELETE', `/jobs/${id}`);
    expect(del.json.status).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 500));
    expect((await fx.call('GET', `/jobs/${id}`)).json.status).toBe('cancelled');
    expect(fx.files.puts.has('/cancelled.mp4')).toBe(false);
  });

  it('queues a second render behind the first; a queued job can be cancelled', async () => {
    const body = (name: string) => ({
      draft: draftOf('long', 4000),
      inputs: { long: { url: fx.files.url('long.mp4'), kind: 'video' } },
      output: { url: fx.files.url(`${name}.mp4`) },
      preset: 'ultrafast',
    });
    const first = (await fx.call('POST', '/render', body('q1'))).json.job_id;
    const second = (await fx.call('POST', '/render', body('q2'))).json.job_id;
    const third = (await fx.call('POST', '/render', body('q3'))).json.job_id;
    expect((await fx.call('GET', `/jobs/${second}`)).json.status).toBe('queued');
    expect((await fx.call('DELETE', `/jobs/${third}`)).json.status).toBe('cancelled');
    expect((await waitForJob(fx, first)).status).toBe('done');
    expect((await waitForJob(fx, second)).status).toBe('done');
    expect((await fx.call('GET', `/jobs/${third}`)).json.status).toBe('cancelled');
    expect(fx.files.puts.has('/q2.mp4')).toBe(true);
    expect(fx.files.puts.has('/q3.mp4')).toBe(false);
  });

  it('a render whose input cannot be read fails and writes nothing', async () => {
    const start = await fx.call('POST', '/render', {
      draft: draftOf('gone', 1000),
      inputs: { gone: { url: fx.files.url('gone.mp4'), kind: 'video' } },
      output: { url: fx.files.url('failed.mp4') },
    });
    const job = await waitForJob(fx, start.json.job_id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/input gone cannot be read/);
    expect(fx.files.puts.has('/failed.mp4')).toBe(false);
    expect((await fx.call('GET', '/jobs/job_nope')).status).toBe(404);
  });

  it('answers 400 naming the bad field', async () => {
    const inputs = { long: { url: fx.files.url('long.mp4'), kind: 'video' } };
    const output = { url: fx.files.url('x.mp4') };
    const cases: [unknown, RegExp][] = [
      [{ ...draftOf('long', 1000), w: 321 }, /^draft\.w:/],
      [{ ...draftOf('long', 1000), h: 5000 }, /^draft\.h:/],
      [draftOf('other', 1000), /^draft\.t: unknown media other$/],
      [
        { ...draftOf('long', 1000), t: [{ id: 'v', tt: 0, m: {}, sg: [{ id: 's', src: 'long', s: 0, d: -5 }] }] },
        /^draft\.t\.0\.sg\.0\.d:/,
      ],
      [
        {
          ...draftOf('long', 1000),
          t: [{ id: 'v', tt: 0, m: {}, sg: [{ id: 's', src: 'long', s: 0, d: 9, m: { fit: 'zoom' } }] }],
        },
        /^draft\.t\.0\.sg\.0\.m\.fit:/,
      ],
    ];
    for (const [draft, field] of cases) {
      const r = await fx.call('POST', '/render', { draft, inputs, output });
      expect(r.status).toBe(400);
      expect(r.json.error).toMatch(field);
    }
    const noOutput = await fx.call('POST', '/render', { draft: draftOf('long', 1000), inputs });
    expect(noOutput.json.error).toMatch(/^output:/);
  });
});
