/**
 * Speech recognition benchmark (not a test): every installed recogniser on the same real speech in
 * one run. Prints word error rate (character error rate for Chinese), realtime factor (decode time
 * over audio time, model load excluded: the engine loads it once) and peak memory of the largest
 * process (GNU time's maximum resident set), with ratios against pocketsphinx, the old default.
 *
 *   npm run bench:asr
 *
 * Audio: the five LibriVox recordings of Debian's pocketsphinx-testdata joined with 1.5 s gaps,
 * over pink room tone at -50 dBFS (what engine/test/speech-real.test.ts checks), and a Mandarin
 * clip from espeak-ng's pinyin voice (bench/zh-clip.ts: synthetic, for want of a recorded one).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createSpeechStack } from '../engine/src/asr/registry.ts';
import { charErrorRate, wordErrorRate } from '../engine/src/asr/wer.ts';
import { loadConfig } from '../engine/src/config.ts';
import { ffmpeg } from '../engine/test/media.ts';
import { librivoxClip } from '../engine/test/speech.ts';
import { mandarinClip } from './zh-clip.ts';

const exec = promisify(execFile);

interface Case {
  label: string;
  pcm: string;
  language: string;
  reference: string;
  durationMs: number;
}

interface Row {
  recogniser: string;
  audio: string;
  errorRate: number;
  metric: 'WER' | 'CER';
  rtf: number;
  peakMiB: number;
  loadMs: number;
}

/** Child mode: `tsx bench/asr.ts --one <provider> <model> <pcm> <language>` prints one JSON line. */
async function one(provider: string, model: string, pcm: string, language: string): Promise<void> {
  const cfg = loadConfig({ ...process.env, ASR_PROVIDER: provider, ASR_MODEL: model });
  const speech = createSpeechStack(cfg);
  const loadStart = Date.now();
  await speech.worker?.start();
  const loadMs = Date.now() - loadStart;
  const t0 = process.hrtime.bigint();
  const out = await speech.recognizer.transcribe(pcm, { language });
  const decodeMs = Number(process.hrtime.bigint() - t0) / 1e6;
  speech.worker?.kill();
  console.log(JSON.stringify({ words: out.words.filter((w) => !w.filler).map((w) => w.w), decodeMs, loadMs }));
}

async function measure(provider: string, model: string, c: Case): Promise<Row> {
  const { stdout, stderr } = await exec(
    '/usr/bin/time',
    [
      '-f',
      'maxrss_kb=%M',
      process.execPath,
      ...process.execArgv,
      process.argv[1]!,
      '--one',
      provider,
      model,
      c.pcm,
      c.language,
    ],
    { maxBuffer: 16 << 20 },
  );
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { words: string[]; decodeMs: number; loadMs: number };
  const spaceless = c.language.startsWith('zh');
  return {
    recogniser: provider === 'whisper' ? `whisper ${model} (int8)` : provider,
    audio: c.label,
    metric: spaceless ? 'CER' : 'WER',
    errorRate: spaceless
      ? charErrorRate(c.reference, result.words.join(''))
      : wordErrorRate(c.reference.split(' '), result.words),
    rtf: result.decodeMs / c.durationMs,
    peakMiB: Number(/maxrss_kb=(\d+)/.exec(stderr)![1]) / 1024,
    loadMs: result.loadMs,
  };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-asr-'));
  try {
    const cases: Case[] = [];
    const clip = await librivoxClip(dir, 'librivox', { roomToneDb: -50 });
    const pcm = join(dir, 'librivox.raw');
    await ffmpeg('-i', clip.path, '-ac', '1', '-ar', '16000', '-f', 's16le', pcm);
    const durationMs = (await stat(pcm)).size / 32;
    cases.push({
      label: 'LibriVox EN, -50 dBFS tone',
      pcm,
      language: 'en',
      reference: clip.words.join(' '),
      durationMs,
    });
    const zh = await mandarinClip(dir);
    cases.push({ label: zh.label, pcm: zh.pcm, language: 'zh', reference: zh.reference, durationMs: zh.durationMs });

    const cfg = loadConfig();
    const models = existsSync(cfg.modelsDir) ? (await readdir(cfg.modelsDir)).sort() : [];
    const rows: Row[] = [];
    for (const c of cases) {
      if (c.language === 'en') rows.push(await measure('pocketsphinx', '', c));
      for (const model of models) {
        if (model.endsWith('.en') && c.language !== 'en') continue;
        rows.push(await measure('whisper', model, c));
      }
    }
    const floor = (audio: string) => rows.find((r) => r.audio === audio && r.recogniser === 'pocketsphinx');
    console.log(
      '\n| audio | recogniser | error rate | vs pocketsphinx | realtime factor | vs pocketsphinx | peak memory | model load |',
    );
    console.log('|---|---|---|---|---|---|---|---|');
    for (const r of rows) {
      const f = floor(r.audio);
      const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}×` : 'n/a');
      console.log(
        `| ${r.audio} | ${r.recogniser} | ${r.metric} ${(r.errorRate * 100).toFixed(1)}% | ${ratio(r.errorRate, f?.errorRate)} | ` +
          `${r.rtf.toFixed(3)} | ${ratio(r.rtf, f?.rtf)} | ${r.peakMiB.toFixed(0)} MiB | ${r.loadMs} ms |`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--one') await one(process.argv[3]!, process.argv[4]!, process.argv[5]!, process.argv[6]!);
else await main();
