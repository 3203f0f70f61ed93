/**
 * Real speech for tests: Debian's pocketsphinx-testdata ships five LibriVox recordings (public
 * domain) with transcripts. They are joined with silent gaps, and room tone (pink noise at a set
 * RMS level) can be laid under the whole clip, as every real recording has.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ffmpeg, meanVolumeDb } from './media.ts';

export const LIBRIVOX = '/usr/share/pocketsphinx/test/data/librivox';
export const hasLibrivox = existsSync(LIBRIVOX);

export interface SpeechClip {
  /** AAC in M4A, as a phone would upload it. */
  path: string;
  /** The same audio before room tone, as raw s16le 16 kHz mono (ground truth for speech). */
  cleanPcm: string;
  /** Reference words, in order. */
  words: string[];
  /** Where each recording starts and ends in the clip (ms). */
  spans: { s: number; e: number }[];
}

/** Pink noise whose RMS level is `dbfs`, measured (not assumed) with volumedetect. */
export async function roomTone(out: string, seconds: number, dbfs: number): Promise<void> {
  const raw = `${out}.raw.wav`;
  await ffmpeg('-f', 'lavfi', '-i', `anoisesrc=c=pink:a=0.1:d=${seconds}:seed=7`, '-ar', '16000', '-ac', '1', raw);
  const measured = await meanVolumeDb(raw);
  await ffmpeg('-i', raw, '-af', `volume=${(dbfs - measured).toFixed(2)}dB`, out);
}

/** The five recordings joined with `gapS` of digital silence, optionally over room tone at `roomToneDb`. */
export async function librivoxClip(dir: string, name: string, opts: { gapS?: number; roomToneDb?: number } = {}) {
  const gapS = opts.gapS ?? 1.5;
  const ids = (await readFile(join(LIBRIVOX, 'fileids'), 'utf8')).trim().split('\n');
  const refs = new Map(
    [...(await readFile(join(LIBRIVOX, 'transcription'), 'utf8')).matchAll(/<s> (.*) <\/s> \((.*)\)/g)].map((m) => [
      m[2]!,
      m[1]!,
    ]),
  );
  const list: string[] = [];
  const spans: { s: number; e: number }[] = [];
  let cursor = 0;
  for (const id of ids) {
    const out = join(dir, `${id}.16k.wav`);
    await ffmpeg('-i', join(LIBRIVOX, `${id}.wav`), '-ar', '16000', '-ac', '1', '-af', `apad=pad_dur=${gapS}`, out);
    const samples = (await readFile(out)).length - 44;
    const ms = Math.round(samples / 32);
    spans.push({ s: cursor, e: cursor + ms - gapS * 1000 });
    cursor += ms;
    list.push(`file '${out}'`);
  }
  await writeFile(join(dir, `${name}.list.txt`), list.join('\n'));
  const clean = join(dir, `${name}.clean.wav`);
  await ffmpeg('-f', 'concat', '-safe', '0', '-i', join(dir, `${name}.list.txt`), clean);
  const cleanPcm = join(dir, `${name}.clean.raw`);
  await ffmpeg('-i', clean, '-f', 's16le', '-ar', '16000', '-ac', '1', cleanPcm);
  const path = join(dir, `${name}.m4a`);
  if (opts.roomToneDb === undefined) await ffmpeg('-i', clean, '-c:a', 'aac', '-ar', '44100', path);
  else {
    const tone = join(dir, `${name}.tone.wav`);
    await roomTone(tone, Math.ceil(cursor / 1000) + 1, opts.roomToneDb);
    await ffmpeg(
      ...['-i', clean, '-i', tone],
      // normalize=0: add the two as they are; amix would otherwise halve both.
      ...['-filter_complex', 'amix=inputs=2:duration=first:normalize=0', '-c:a', 'aac', '-ar', '44100', path],
    );
  }
  const words = ids.flatMap((id) => refs.get(id)!.split(' '));
  return { path, cleanPcm, words, spans } satisfies SpeechClip;
}
