/**
 * The product's headline request on a real recording: five LibriVox readers with -50 dBFS room
 * tone under everything (quieter than most phone recordings), through `npm start`'s stack and
 * `openedit edit clip.mp4 "trim the pauses, add captions, and export"`. The gaps must go, the
 * captions must carry the right words, and every caption must start as its speech does.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAME_MS, frameLevelsDb } from '../../engine/src/analyse/energy-vad.ts';
import { wordErrorRate } from '../../engine/src/asr/wer.ts';
import { hasLibrivox, librivoxClip } from '../../engine/test/speech.ts';
import { parseSrt, probe, runCli } from './e2e-helpers.ts';
import { type Stack, startStack } from './stack.ts';

const exec = promisify(execFile);

describe.runIf(hasLibrivox)('end to end on real speech under room tone', () => {
  let stack: Stack;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'openedit-real-'));
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('trims the gaps, captions the right words, and every caption starts with its speech', {
    timeout: 420_000,
  }, async () => {
    const speech = await librivoxClip(dir, 'talk', { gapS: 1.5, roomToneDb: -50 });
    const clip = join(dir, 'talk.mp4');
    await exec('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=1280x720:r=25', '-i', speech.path],
      ...['-shortest', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'copy', clip],
    ]);
    const inS = Number((await probe(clip)).format.duration);
    const out = join(dir, 'out.mp4');
    const r = await runCli(
      ['edit', clip, 'trim the pauses, add captions, and export', '-o', out, '--base-url', stack.baseUrl],
      { XDG_CONFIG_HOME: join(dir, 'config'), OPENEDIT_TOKEN: '', NEMO_TOKEN: '' },
      360_000,
    );
    const report = `exit ${r.code}\n${r.stdout}\n${r.stderr}\n${stack.logs().split('\n').slice(-40).join('\n')}`;
    expect(r.code, report).toBe(0);
    expect(r.stdout, report).not.toMatch(/NOTHING_TO_TRIM/);

    // Four 1.5 s gaps (plus the readers' own silences) go; the speech stays.
    const outS = Number((await probe(out)).format.duration);
    expect(inS - outS, `in ${inS} s, out ${outS} s`).toBeGreaterThan(4 * 1.5 * 0.6);
    const speechS = speech.spans.reduce((sum, s) => sum + (s.e - s.s), 0) / 1000;
    expect(outS).toBeGreaterThan(speechS - 2.5);

    // Captions: the published transcript's words (WER), in cues that start with their speech.
    const cues = parseSrt(readFileSync(out.replace(/\.mp4$/, '.srt'), 'utf8'));
    const wer = wordErrorRate(
      speech.words,
      cues.flatMap((c) => c.text.split(/\s+/)),
    );
    console.log(`captions on real speech after trimming: WER ${(wer * 100).toFixed(1)}%, ${cues.length} cues`);
    expect(wer).toBeLessThan(0.12);
    const pcm = join(dir, 'out.raw');
    await exec('ffmpeg', ['-v', 'error', '-y', '-i', out, '-ac', '1', '-ar', '16000', '-f', 's16le', pcm]);
    const levels = await frameLevelsDb(pcm);
    const loud = Float32Array.from(levels).sort()[Math.floor(levels.length * 0.95)]! - 20;
    const speaking = (fromS: number, toS: number) => {
      for (let i = Math.floor((fromS * 1000) / FRAME_MS); i < Math.ceil((toS * 1000) / FRAME_MS); i++)
        if ((levels[i] ?? -120) > loud) return true;
      return false;
    };
    for (const cue of cues) {
      // Speech within 300 ms of the cue's start: no caption shows words long before they are said.
      expect(speaking(cue.startS, cue.startS + 0.3), `cue "${cue.text}" at ${cue.startS} s`).toBe(true);
    }
    expect(existsSync(out)).toBe(true);
  });
});
