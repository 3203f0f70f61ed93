/**
 * The Mandarin audio of the ASR benchmark: espeak-ng's Mandarin voice reading pinyin (the same
 * phrases engine/test/speech-zh.test.ts checks). Longer synthetic passages defeat Whisper base
 * entirely (it hears nothing, or reads back its prompt), which is itself worth knowing. Synthetic: no recorded Mandarin with a
 * transcript and a clear licence exists in npm, PyPI or Debian (docs/speech.md lists what was
 * searched), so its CER says how the pipeline handles Chinese, not how a real voice would fare.
 */
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ffmpeg } from '../engine/test/media.ts';

const exec = promisify(execFile);
const PHRASES = [
  ['ni3 hao3.', '你好。'],
  ['huan1 ying2 lai2 dao4 bei3 jing1.', '欢迎来到北京。'],
  ['wo3 ai4 ni3.', '我爱你。'],
  ['xie4 xie4 da4 jia1.', '谢谢大家。'],
];

export async function mandarinClip(dir: string) {
  const ssml = `<speak>${PHRASES.map(([p]) => p).join(' <break time="800ms"/> ')}</speak>`;
  const wav = join(dir, 'zh.wav');
  await exec('espeak-ng', ['-v', 'cmn-latn-pinyin', '-s', '110', '-m', '-w', wav, ssml]);
  const pcm = join(dir, 'zh.raw');
  await ffmpeg('-i', wav, '-ac', '1', '-ar', '16000', '-f', 's16le', pcm);
  return {
    label: 'Mandarin (espeak-ng pinyin voice)',
    pcm,
    reference: PHRASES.map(([, zh]) => zh).join(''),
    durationMs: (await stat(pcm)).size / 32,
  };
}
