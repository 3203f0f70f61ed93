/** The offline default on real read speech (LibriVox, Debian pocketsphinx-testdata): prints the WER. */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePocketsphinx } from '../src/asr/pocketsphinx.ts';
import { wordErrorRate } from '../src/asr/wer.ts';
import { type Fixture, setUp } from './fixtures.ts';
import { ffmpeg } from './media.ts';

const LIBRIVOX = '/usr/share/pocketsphinx/test/data/librivox';
/** Measured 25.4% as one chunk and 33.8% in 10 s chunks (each chunk restarts the recogniser's adaptation). */
const WER_BOUND = 0.3;
const WER_BOUND_CHUNKED = 0.4;

let fx: Fixture;
/** 10 s chunks: the 32 s clip goes to the recogniser in pieces cut at pauses, two at a time. */
let chunked: Fixture;
beforeAll(async () => {
  fx = await setUp({ ASR_PROVIDER: 'pocketsphinx' });
  chunked = await setUp({ ASR_PROVIDER: 'pocketsphinx', ENGINE_ASR_CHUNK_MS: '10000' });
});
afterAll(async () => {
  await fx.close();
  await chunked.close();
});

describe('pocketsphinx', () => {
  it('parses word lines and drops silence, noise and variant markers', () => {
    const out = parsePocketsphinx(
      'he was\n<s> 0.000 0.060 0.998900\nhe 0.210 0.320 0.998002\nwas(2) 0.330 0.540 0.999300\n[NOISE] 0.6 0.7 0.5\n++UM++ 0.8 0.9 0.4\n</s> 2.8 2.97 1.0\n',
    );
    expect(out).toEqual([
      { w: 'he', s: 210, e: 320, conf: 0.998002, filler: false },
      { w: 'was', s: 330, e: 540, conf: 0.9993, filler: false },
      { w: 'um', s: 800, e: 900, conf: 0.4, filler: true },
    ]);
  });

  it.runIf(existsSync(LIBRIVOX))('finds the known words of five LibriVox recordings through /analyse', async () => {
    const ids = (await readFile(join(LIBRIVOX, 'fileids'), 'utf8')).trim().split('\n');
    const refs = new Map(
      [...(await readFile(join(LIBRIVOX, 'transcription'), 'utf8')).matchAll(/<s> (.*) <\/s> \((.*)\)/g)].map((m) => [
        m[2],
        m[1],
      ]),
    );
    // One clip with 1.5 s gaps between the recordings: exercises chunking, pauses and offsets together.
    const parts: string[] = [];
    for (const id of ids) {
      const out = join(fx.dir, `${id}.wav`);
      await ffmpeg('-i', join(LIBRIVOX, `${id}.wav`), '-af', 'apad=pad_dur=1.5', out);
      parts.push(`file '${out}'`);
    }
    await writeFile(join(fx.dir, 'list.txt'), parts.join('\n'));
    await ffmpeg(
      '-f',
      'concat',
      '-safe',
      '0',
      '-i',
      join(fx.dir, 'list.txt'),
      '-c:a',
      'aac',
      join(fx.dir, 'librivox.m4a'),
    );
    const ref = ids.flatMap((id) => refs.get(id)!.split(' '));
    for (const [label, engine, bound] of [
      ['one 60 s chunk', fx, WER_BOUND],
      ['10 s chunks cut at pauses', chunked, WER_BOUND_CHUNKED],
    ] as const) {
      const t0 = Date.now();
      const r = await engine.call('POST', '/analyse', {
        url: fx.files.url('librivox.m4a'),
        content_hash: 'librivox01',
      });
      const elapsed = Date.now() - t0;
      const hyp = r.json.words.filter((w: { filler: boolean }) => !w.filler).map((w: { w: string }) => w.w);
      const wer = wordErrorRate(ref, hyp);
      console.log(
        `pocketsphinx WER on LibriVox (${label}): ${(wer * 100).toFixed(1)}% (${ref.length} words, ${(r.json.duration_ms / 1000).toFixed(1)} s audio in ${(elapsed / 1000).toFixed(1)} s)`,
      );
      expect(wer).toBeLessThan(bound);
      expect(r.json.pauses.length).toBeGreaterThanOrEqual(4); // the gaps between recordings
      // Words are in timeline order, with chunk offsets applied: the last recording's words come late.
      const starts = r.json.words.map((w: { s: number }) => w.s);
      expect([...starts].sort((a, b) => a - b)).toEqual(starts);
      expect(starts.at(-1)).toBeGreaterThan(r.json.duration_ms - 6000);
    }
  });
});
