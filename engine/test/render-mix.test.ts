/** Render tests: music volume, output format at 9:16, speed/in-points/fit/images/overlays/titles, loudness. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DraftInput } from '../../src/draft/schema.ts';
import { type Fixture, renderToFile, setUp } from './fixtures.ts';
import { durationMs, ffmpeg, ffprobeJson, grayCrop, mean, meanAbsDiff, meanVolumeDb } from './media.ts';

let fx: Fixture;
beforeAll(async () => {
  fx = await setUp();
  const d = fx.dir;
  const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '25'];
  await ffmpeg('-f', 'lavfi', '-i', 'color=c=0x303030:s=160x90:r=25:d=3', ...x264, join(d, 'mute.mp4'));
  await ffmpeg('-f', 'lavfi', '-i', 'sine=f=440:d=4', '-c:a', 'libmp3lame', '-b:a', '192k', join(d, 'music.mp3'));
  // Brightness rises with time (16 + 40 t): which source moment a frame shows can be read from its pixels.
  await ffmpeg(
    ...['-f', 'lavfi', '-i', "nullsrc=s=160x90:r=25:d=4,geq=lum='16+40*T':cb=128:cr=128"],
    ...['-f', 'lavfi', '-i', 'sine=f=300:d=4'],
    ...x264,
    ...['-c:a', 'aac', '-shortest', join(d, 'ramp.mp4')],
  );
  await ffmpeg('-f', 'lavfi', '-i', 'color=c=white:s=64x48', '-frames:v', '1', join(d, 'white.png'));
  // A "speaker" at 300 Hz for the first 1.5 s, then quiet; and music at 3 kHz (separable by a filter).
  await ffmpeg(
    ...[
      '-f',
      'lavfi',
      '-i',
      'color=c=0x303030:s=160x90:r=25:d=3',
      '-f',
      'lavfi',
      '-i',
      'sine=f=300:d=1.5,apad=whole_dur=3',
    ],
    ...x264,
    ...['-c:a', 'aac', '-shortest', join(d, 'speaker.mp4')],
  );
  await ffmpeg('-f', 'lavfi', '-i', 'sine=f=3000:d=4', join(d, 'music3k.wav'));
});
afterAll(() => (process.env.KEEP_TEST_DIR ? undefined : fx.close()));

async function render(draft: DraftInput, inputs: Record<string, string>, name: string, preset = 'ultrafast') {
  const kinds: Record<string, string> = { mp4: 'video', mp3: 'audio', wav: 'audio', png: 'image' };
  const body = {
    draft,
    inputs: Object.fromEntries(
      Object.entries(inputs).map(([id, file]) => [
        id,
        { url: fx.files.url(file), kind: kinds[file.split('.').pop()!] },
      ]),
    ),
    output: { url: fx.files.url(`${name}.mp4`) },
    preset,
  };
  return renderToFile(fx, body, name);
}

describe('render: audio', () => {
  it('mixes background music at 35% to about -9 dB against the source', async () => {
    const draft = {
      w: 160,
      h: 90,
      fps: 25,
      d: 3000,
      t: [
        { id: 'v', tt: 0 as const, m: {}, sg: [{ id: 'a', src: 'mute', s: 0, d: 3000 }] },
        { id: 'm', tt: 1 as const, m: { name: 'BGM', volume: 0.35 }, sg: [{ id: 'b', src: 'music', s: 0, d: 3000 }] },
      ],
    };
    const { path } = await render(draft, { mute: 'mute.mp4', music: 'music.mp3' }, 'bgm');
    const delta = (await meanVolumeDb(path)) - (await meanVolumeDb(join(fx.dir, 'music.mp3')));
    console.log(`BGM at 35%: ${delta.toFixed(2)} dB against the source (20·log10 0.35 = -9.12)`);
    expect(Math.abs(delta - 20 * Math.log10(0.35))).toBeLessThan(0.5);
  });

  it('ducks music marked duck while the clip sound plays', async () => {
    const draft = {
      w: 160,
      h: 90,
      fps: 25,
      d: 3000,
      t: [
        { id: 'v', tt: 0 as const, m: {}, sg: [{ id: 'a', src: 'speaker', s: 0, d: 3000 }] },
        { id: 'm', tt: 1 as const, m: { volume: 0.35, duck: true }, sg: [{ id: 'b', src: 'music', s: 0, d: 3000 }] },
      ],
    };
    const { path } = await render(draft, { speaker: 'speaker.mp4', music: 'music3k.wav' }, 'duck');
    const musicLevel = async (from: number, to: number) => {
      const err = await ffmpeg(
        ...['-i', path, '-af', `atrim=${from}:${to},highpass=f=1500,highpass=f=1500,highpass=f=1500,volumedetect`],
        ...['-f', 'null', '-'],
      );
      return Number(/mean_volume: (-?[\d.]+) dB/.exec(err)![1]);
    };
    const during = await musicLevel(0.4, 1.4);
    const after = await musicLevel(2.2, 2.9);
    console.log(`ducking: music ${(during - after).toFixed(1)} dB while the clip speaks`);
    expect(after - during).toBeGreaterThan(5);
    expect(after - during).toBeLessThan(20);
  });

  it('normalises loudness to -14 LUFS and denoises in the same encode', async () => {
    const draft = {
      w: 160,
      h: 90,
      fps: 25,
      d: 3000,
      m: { loudness_lufs: -14, denoise: true },
      t: [{ id: 'v', tt: 0 as const, m: {}, sg: [{ id: 'a', src: 'ramp', s: 0, d: 3000 }] }],
    };
    const { path } = await render(draft, { ramp: 'ramp.mp4' }, 'loud');
    const err = await ffmpeg('-i', path, '-af', 'ebur128', '-f', 'null', '-');
    const integrated = Number(/I:\s+(-?[\d.]+) LUFS\s*\n\s*Threshold/.exec(err.slice(err.lastIndexOf('Summary')))![1]);
    console.log(`loudness after loudnorm: ${integrated} LUFS`);
    expect(Math.abs(integrated + 14)).toBeLessThan(1.5);
  });
});

describe('render: output format', () => {
  it('9:16 output is 1080x1920 H.264 High yuv420p with AAC 48 kHz stereo, moov first', async () => {
    const draft = {
      w: 1080,
      h: 1920,
      fps: 25,
      d: 1000,
      t: [
        { id: 'v', tt: 0 as const, m: {}, sg: [{ id: 'a', src: 'ramp', s: 0, d: 1000, m: { fit: 'cover' as const } }] },
      ],
    };
    const { path } = await render(draft, { ramp: 'ramp.mp4' }, 'vertical', 'veryfast');
    const info = await ffprobeJson(path);
    const v = info.streams.find((s) => s.codec_type === 'video')!;
    const a = info.streams.find((s) => s.codec_type === 'audio')!;
    expect(v).toMatchObject({ codec_name: 'h264', profile: 'High', pix_fmt: 'yuv420p', width: 1080, height: 1920 });
    expect(a).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 });
    const bytes = fx.files.puts.get('/vertical.mp4')!;
    expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat'));
    expect(Math.abs((await durationMs(path)) - 1000)).toBeLessThanOrEqual(40);
  });
});

describe('render: segments', () => {
  it('honours in-point and speed, contain pads images, overlays upper tracks, draws titles', async () => {
    const draft = {
      w: 160,
      h: 90,
      fps: 25,
      d: 3000,
      t: [
        {
          id: 'v',
          tt: 0 as const,
          m: {},
          sg: [
            { id: 'fast', src: 'ramp', s: 0, d: 1000, in: 500, m: { speed: 2 } },
            { id: 'pic', src: 'white', s: 1000, d: 1000, m: { fit: 'contain' as const } },
            { id: 'slow', src: 'ramp', s: 2000, d: 1000, in: 0, m: { speed: 1 } },
          ],
        },
        { id: 'top', tt: 0 as const, m: {}, sg: [{ id: 'ov', src: 'mute', s: 2500, d: 500 }] },
        {
          id: 'x',
          tt: 7 as const,
          m: { name: 'Title' },
          sg: [
            {
              id: 't',
              text: 'TITLE',
              s: 1000,
              d: 1000,
              m: { pos: 'center' as const, size: 30, color: '#ff0000', fade_in: 200 },
            },
          ],
        },
      ],
    };
    const { path } = await render(draft, { ramp: 'ramp.mp4', white: 'white.png', mute: 'mute.mp4' }, 'segments');
    expect(Math.abs((await durationMs(path)) - 3000)).toBeLessThanOrEqual(40);
    const center: [number, number, number, number] = [70, 35, 20, 20];
    const src = join(fx.dir, 'ramp.mp4');
    // Output 0.5 s of a 2x segment starting at 0.5 s shows source 1.5 s.
    expect(Math.abs(mean(await grayCrop(path, 0.5, center)) - mean(await grayCrop(src, 1.5, center)))).toBeLessThan(6);
    expect(Math.abs(mean(await grayCrop(path, 2.2, center)) - mean(await grayCrop(src, 0.2, center)))).toBeLessThan(6);
    // 4:3 picture in a 16:9 frame: black bars left and right, white in the middle.
    expect(mean(await grayCrop(path, 1.5, [0, 0, 8, 90]))).toBeLessThan(25);
    expect(mean(await grayCrop(path, 1.5, [30, 0, 20, 10]))).toBeGreaterThan(220);
    // The title: red text in the middle of the white picture.
    expect(mean(await grayCrop(path, 1.5, [50, 35, 60, 20]))).toBeLessThan(200);
    // The upper track covers the frame from 2.5 s: dark gray, not the ramp.
    const overlay = mean(await grayCrop(path, 2.7, center));
    expect(Math.abs(overlay - mean(await grayCrop(join(fx.dir, 'mute.mp4'), 0.2, center)))).toBeLessThan(4);
    expect(meanAbsDiff(await grayCrop(path, 2.2, center), await grayCrop(path, 2.7, center))).toBeGreaterThan(5);
  });
});
