/** Offline default: Debian's pocketsphinx + pocketsphinx-en-us (English only, CPU). */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { RecognizedWord, SpeechRecognizer, TranscribeOptions } from './types.ts';

const DROP = new Set(['<s>', '</s>', '<sil>', '[NOISE]', '[SPEECH]']);

export function pocketsphinxRecognizer(modelDir: string): SpeechRecognizer {
  return {
    name: 'pocketsphinx',
    concurrency: 2,
    languages: ['en'], // the only Debian model; other languages would come back as nonsense English words
    async transcribe(pcmPath: string, opts: TranscribeOptions) {
      // biome-ignore format: flag/value pairs read best on one line
      const args = [
        '-infile', pcmPath, // a raw s16le file: it mis-reads WAV headers with extra chunks and cannot read a node pipe
        '-hmm', join(modelDir, 'en-us'),
        '-lm', join(modelDir, 'en-us.lm.bin'),
        '-dict', join(modelDir, 'cmudict-en-us.dict'),
        '-time', 'yes', // one line per word with start/end/confidence
        // Heavier language-model weights: 35% -> 27% WER on LibriVox for ~1.5x CPU.
        '-lw', '5', '-fwdflatlw', '7', '-bestpathlw', '8',
        '-logfn', '/dev/null',
      ];
      const stdout = await run('pocketsphinx_continuous', args, opts.signal);
      return { words: parsePocketsphinx(stdout), language: 'en' };
    },
  };
}

/** Lines are `word start end confidence` (seconds); hypothesis lines without times are skipped. */
export function parsePocketsphinx(stdout: string): RecognizedWord[] {
  const words: RecognizedWord[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^(\S+) (\d+\.\d+) (\d+\.\d+) (\d+(?:\.\d+)?)$/.exec(line.trim());
    if (!m || DROP.has(m[1])) continue;
    const raw = m[1].replace(/\(\d+\)$/, '');
    const filler = /^\+\+.*\+\+$/.test(raw) || /^\+.*\+$/.test(raw);
    const w = filler ? raw.replace(/\+/g, '').toLowerCase() : raw;
    if (!w) continue;
    words.push({
      w,
      s: Math.round(Number(m[2]) * 1000),
      e: Math.round(Number(m[3]) * 1000),
      conf: Math.min(1, Math.max(0, Number(m[4]))),
      filler,
    });
  }
  return words;
}

function run(bin: string, args: string[], signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      err = (err + c).slice(-4000);
    });
    const kill = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', kill, { once: true });
    child.on('error', reject);
    child.on('close', (code) => {
      signal?.removeEventListener('abort', kill);
      if (signal?.aborted) reject(new Error('aborted'));
      else if (code === 0) resolve(out);
      else reject(new Error(`${bin} exited with ${code}: ${err.trim().slice(-300)}`));
    });
  });
}
