/**
 * End to end, as a user would do it: `npm start`'s stack, a talking clip with known pauses,
 * `openedit edit clip.mp4 "trim the pauses, add captions, and export as a clean MP4"`, and the
 * result checked with ffprobe and decoded audio.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSrt, probe, runCli } from './e2e-helpers.ts';
import { type Stack, startStack } from './stack.ts';

const exec = promisify(execFile);

const PAUSE_MS = 1500;
const SENTENCES = [
  'Hello everyone, and welcome to the video editing show.',
  'Today we will cut the long pauses out of this clip.',
  'Thank you for watching, and see you next time.',
];
/** Words of the script a recogniser has a fair chance with, even on espeak's robotic voice. */
const KNOWN_WORDS = [
  'hello',
  'everyone',
  'welcome',
  'video',
  'editing',
  'show',
  'today',
  'cut',
  'long',
  'pauses',
  'clip',
  'thank',
  'watching',
  'next',
  'time',
];
const PROMPT = 'trim the pauses, add captions, and export as a clean MP4';

/** Silences in the decoded audio (seconds), as ffmpeg's silencedetect reports them. */
async function silences(path: string, minS: number): Promise<{ start: number; duration: number }[]> {
  const { stderr } = await exec(
    'ffmpeg',
    ['-hide_banner', '-nostats', '-i', path, '-vn', '-af', `silencedetect=noise=-40dB:d=${minS}`, '-f', 'null', '-'],
    {
      maxBuffer: 16 << 20,
    },
  );
  const out: { start: number; duration: number }[] = [];
  for (const m of stderr.matchAll(/silence_end: ([\d.]+) \| silence_duration: ([\d.]+)/g)) {
    out.push({ start: Number(m[1]) - Number(m[2]), duration: Number(m[2]) });
  }
  return out;
}

async function meanVolumeDb(path: string): Promise<number> {
  const { stderr } = await exec('ffmpeg', [
    '-hide_banner',
    '-nostats',
    '-i',
    path,
    '-vn',
    '-af',
    'volumedetect',
    '-f',
    'null',
    '-',
  ]);
  return Number(/mean_volume: (-?[\d.]+) dB/.exec(stderr)?.[1] ?? Number.NaN);
}

describe('end to end: npm start + openedit edit', () => {
  let stack: Stack;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'openedit-e2e-'));
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('trims the pauses, adds captions and exports a 1080p H.264/AAC MP4 with an SRT beside it', {
    timeout: 420_000,
  }, async () => {
    // A ~13 s talking clip: espeak-ng speech with two known 1.5 s pauses over a 1280x720 test pattern.
    const wav = join(dir, 'speech.wav');
    const clip = join(dir, 'clip.mp4');
    const ssml = `<speak>${SENTENCES.join(` <break time="${PAUSE_MS}ms"/> `)}</speak>`;
    await exec('espeak-ng', ['-v', 'en-us', '-s', '150', '-m', '-w', wav, ssml]);
    await exec('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=s=1280x720:r=25',
      '-i',
      wav,
      '-shortest',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-b:a',
      '128k',
      clip,
    ]);
    const inDurationS = Number((await probe(clip)).format.duration);
    const inPauses = await silences(clip, 1.0);
    expect(inPauses.length, 'the generated clip should have the two known pauses').toBe(2);
    const removableS = inPauses.reduce((s, p) => s + p.duration, 0);

    const out = join(dir, 'out.mp4');
    const r = await runCli(
      ['edit', clip, PROMPT, '-o', out, '--base-url', stack.baseUrl],
      { XDG_CONFIG_HOME: join(dir, 'config'), OPENEDIT_TOKEN: '', NEMO_TOKEN: '' },
      360_000,
    );
    const report = `openedit exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}\n--- stack log (tail)\n${stack.logs().split('\n').slice(-60).join('\n')}`;
    expect(r.code, `the CLI's edit should succeed against the stack:\n${report}`).toBe(0);
    expect(existsSync(out), `the MP4 should be saved at ${out}:\n${report}`).toBe(true);
    expect(r.stdout, 'the CLI should print the share link').toMatch(/Share: http:\/\/127\.0\.0\.1:\d+\/s\//);

    // Container and codecs: H.264 video at 1080 on the short side, AAC audio.
    const p = await probe(out);
    const video = p.streams.find((s) => s.codec_type === 'video');
    const audio = p.streams.find((s) => s.codec_type === 'audio');
    expect(video?.codec_name, 'video codec').toBe('h264');
    expect(audio?.codec_name, 'audio codec').toBe('aac');
    expect(Math.min(video!.width!, video!.height!), `short side of ${video!.width}x${video!.height}`).toBe(1080);

    // Shorter by (most of) the removed pauses, without cutting into the speech.
    const outDurationS = Number(p.format.duration);
    const removedS = inDurationS - outDurationS;
    expect(
      removedS,
      `output ${outDurationS.toFixed(2)} s vs input ${inDurationS.toFixed(2)} s: should lose most of the ${removableS.toFixed(2)} s of pauses`,
    ).toBeGreaterThan(removableS * 0.6);
    expect(outDurationS, 'the speech itself must survive').toBeGreaterThan(inDurationS - removableS - 1.0);
    const left = await silences(out, 1.2);
    expect(
      left,
      `no pause as long as the removed ones should remain in the decoded audio: ${JSON.stringify(left)}`,
    ).toEqual([]);
    expect(await meanVolumeDb(out), 'the output should still carry the speech').toBeGreaterThan(-40);

    // Captions: an SRT beside the MP4 with sane cues and some of the spoken words.
    const srtPath = out.replace(/\.mp4$/, '.srt');
    expect(existsSync(srtPath), `captions should be downloaded beside the MP4 as ${srtPath}:\n${report}`).toBe(true);
    const cues = parseSrt(readFileSync(srtPath, 'utf8'));
    expect(cues.length, 'the SRT should have cues').toBeGreaterThan(0);
    let previousStartS = -1;
    for (const cue of cues) {
      expect(cue.endS, `cue "${cue.text}" ends after it starts`).toBeGreaterThan(cue.startS);
      expect(cue.startS, 'cues are in order').toBeGreaterThanOrEqual(previousStartS);
      expect(cue.endS, `cue "${cue.text}" lies within the output`).toBeLessThanOrEqual(outDurationS + 0.5);
      expect(cue.text, 'cue text is not empty').toMatch(/[a-z]/i);
      previousStartS = cue.startS;
    }
    // espeak's voice is hard on pocketsphinx: ask only for a few of the script's words.
    const heard = new Set(cues.flatMap((c) => c.text.toLowerCase().match(/[a-z']+/g) ?? []));
    const matched = KNOWN_WORDS.filter((w) => heard.has(w));
    expect(
      matched.length,
      `captions should contain some of the spoken words; heard: ${[...heard].join(' ')}`,
    ).toBeGreaterThanOrEqual(2);
  });
});
