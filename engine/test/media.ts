/** Generates test media with ffmpeg lavfi and espeak-ng, and measures outputs. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export async function ffmpeg(...args: string[]): Promise<string> {
  const { stderr } = await exec('ffmpeg', ['-hide_banner', '-nostdin', '-y', ...args], { maxBuffer: 64 << 20 });
  return stderr;
}

export async function ffprobeJson(path: string): Promise<{
  streams: Record<string, string | number>[];
  format: Record<string, string>;
}> {
  const { stdout } = await exec('ffprobe', [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    path,
  ]);
  return JSON.parse(stdout);
}

/** Speech with known pauses: SSML breaks between phrases (espeak-ng -m). */
export async function speak(outWav: string, ssml: string, voice = 'en-us'): Promise<void> {
  await exec('espeak-ng', ['-v', voice, '-s', '150', '-m', '-w', outWav, `<speak>${ssml}</speak>`]);
}

/** A video clip: testsrc2 pictures over the given audio file (or silence). */
export async function clipWithAudio(out: string, audio: string, size = '320x240', fps = 25): Promise<void> {
  await ffmpeg(
    ...['-f', 'lavfi', '-i', `testsrc2=s=${size}:r=${fps}`, '-i', audio],
    ...['-shortest', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', String(fps)],
    ...['-c:a', 'aac', '-ar', '48000', out],
  );
}

export async function durationMs(path: string, stream: 'v' | 'a' = 'v'): Promise<number> {
  const { stdout } = await exec('ffprobe', [
    ...['-v', 'error', '-select_streams', `${stream}:0`, '-count_packets'],
    ...['-show_entries', 'stream=duration', '-of', 'csv=p=0', path],
  ]);
  return Math.round(Number(stdout.trim()) * 1000);
}

/** mean_volume in dB of the first audio stream. */
export async function meanVolumeDb(path: string): Promise<number> {
  const err = await ffmpeg('-i', path, '-vn', '-af', 'volumedetect', '-f', 'null', '-');
  return Number(/mean_volume: (-?[\d.]+) dB/.exec(err)![1]);
}

/** Silences of at least minS seconds (fixed threshold), as [start, end] seconds. */
export async function silences(path: string, noiseDb: number, minS: number): Promise<[number, number][]> {
  const err = await ffmpeg('-i', path, '-vn', '-af', `silencedetect=noise=${noiseDb}dB:d=${minS}`, '-f', 'null', '-');
  const starts = [...err.matchAll(/silence_start: (-?[\d.]+)/g)].map((m) => Number(m[1]));
  const ends = [...err.matchAll(/silence_end: ([\d.]+)/g)].map((m) => Number(m[1]));
  return starts.map((s, i) => [s, ends[i] ?? Number.POSITIVE_INFINITY]);
}

/** A gray crop (x, y, w, h) of the frame at `atS` seconds, as raw bytes. */
export async function grayCrop(path: string, atS: number, crop: [number, number, number, number]): Promise<Buffer> {
  const { stdout } = await exec(
    'ffmpeg',
    [
      ...['-hide_banner', '-v', 'error', '-ss', String(atS), '-i', path, '-frames:v', '1'],
      ...['-vf', `crop=${crop[2]}:${crop[3]}:${crop[0]}:${crop[1]},format=gray`, '-f', 'rawvideo', '-'],
    ],
    { encoding: 'buffer', maxBuffer: 64 << 20 },
  );
  return stdout as unknown as Buffer;
}

/** Every frame of `path` through `filter` (ending in gray `width`×`height`), as raw gray buffers. */
export async function grayFrames(path: string, filter: string, width: number, height: number): Promise<Buffer[]> {
  const { stdout } = await exec(
    'ffmpeg',
    ['-v', 'error', '-i', path, '-vf', `${filter},format=gray`, '-f', 'rawvideo', '-'],
    { encoding: 'buffer', maxBuffer: 1 << 30 },
  );
  const buf = stdout as unknown as Buffer;
  const size = width * height;
  return Array.from({ length: buf.length / size }, (_, i) => buf.subarray(i * size, (i + 1) * size));
}

/** Mono 48 kHz float samples of the file's sound, decoded. */
export async function pcmMono48k(path: string): Promise<Float32Array> {
  const { stdout } = await exec(
    'ffmpeg',
    ['-v', 'error', '-i', path, '-vn', '-ac', '1', '-ar', '48000', '-f', 'f32le', '-'],
    { encoding: 'buffer', maxBuffer: 1 << 30 },
  );
  const buf = stdout as unknown as Buffer;
  return new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4);
}

export function meanAbsDiff(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

export function mean(a: Buffer): number {
  let sum = 0;
  for (const v of a) sum += v;
  return sum / a.length;
}
