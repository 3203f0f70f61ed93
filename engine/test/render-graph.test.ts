/**
 * The ffmpeg command buildRender makes for small drafts, compared as exact argument arrays and
 * filter strings (no ffmpeg runs): a change to the graph or the encode shows up here as a diff,
 * next to the render tests that check what ffmpeg makes of it (render-edit, render-mix).
 */
import { describe, expect, it } from 'vitest';
import { type Draft, DraftSchema } from '../../src/draft/schema.ts';
import { TrackType } from '../../src/draft/track-type.ts';
import { buildRender, type RenderPlan } from '../src/render/build-render.ts';
import type { RenderInput } from '../src/render/inputs.ts';

const CLIP: RenderInput = {
  url: 'http://127.0.0.1:9/clip.mp4',
  kind: 'video',
  hasAudio: true,
  durationMs: 10_000,
  audioChannels: 2,
};
const SONG: RenderInput = {
  url: 'http://127.0.0.1:9/song.mp3',
  kind: 'audio',
  hasAudio: true,
  durationMs: 30_000,
  audioChannels: 2,
};

function plan(draft: Record<string, unknown>, inputs: Record<string, RenderInput> = { clip: CLIP }): RenderPlan {
  return buildRender(DraftSchema.parse({ fps: 30, ...draft }) as Draft, {
    inputs: new Map(Object.entries(inputs)),
    tmpDir: '/tmp/job',
    fontsDir: '/fonts',
    fonts: { latin: 'DejaVu Sans', cjk: 'Noto Sans CJK SC' },
    preset: 'veryfast',
    outputPath: '/tmp/job/out.mp4',
  });
}

const video = (sg: Record<string, unknown>[], m: Record<string, unknown> = {}) => ({
  id: 'v1',
  tt: TrackType.video,
  m,
  sg,
});
const seg = (id: string, s: number, d: number, inMs: number) => ({ id, src: 'clip', s, d, in: inMs });

/** What every render ends with: the two mapped outputs, one H.264/AAC encode, the timeline's length. */
const encode = (vout: string, aout: string, seconds: string) => [
  ...['-map', `[${vout}]`, '-map', `[${aout}]`],
  ...['-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-r', '30'],
  ...['-c:a', 'aac', '-b:a', '160k', '-ar', '48000', '-ac', '2'],
  ...['-t', seconds, '-movflags', '+faststart', '-f', 'mp4', '/tmp/job/out.mp4'],
];

/**
 * One clip segment filling a w×h frame (cover: scaled up, centre-cropped): `frames` frames, its
 * share of the timeline's frame grid, its last frame held a frame past `seconds` if the source ends.
 */
const cover = (input: number, w: number, h: number, seconds: string, frames: number, out: string) =>
  `[${input}:v]setpts=PTS-STARTPTS,fps=30,scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h},` +
  `setsar=1,format=yuv420p,tpad=stop_mode=clone:stop_duration=${seconds},trim=end_frame=${frames},setpts=PTS-STARTPTS[${out}]`;

/** A segment's sound: 48 kHz stereo float, padded and cut to the segment. */
const clipSound = (input: number, seconds: string) =>
  `[${input}:a]asetpts=PTS-STARTPTS,aresample=48000,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,` +
  `apad,atrim=duration=${seconds}`;

const STEREO = 'aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo';
const chains = (p: RenderPlan) => p.graph.split(';\n');

describe('buildRender: ffmpeg arguments and filter graph of small drafts (engine/src/render/build-render.ts)', () => {
  it('a cut: each kept part seeks its own input, the parts concat, their sounds are placed by adelay', () => {
    const p = plan({ w: 640, h: 360, d: 0, t: [video([seg('a', 0, 2000, 0), seg('b', 2000, 1500, 5000)])] });
    expect(p.durationMs).toBe(3500);
    expect(chains(p)).toEqual([
      cover(0, 640, 360, '2.033', 60, 'vid1'),
      cover(1, 640, 360, '1.533', 45, 'vid2'),
      '[vid1][vid2]concat=n=2:v=1:a=0[base3]',
      // The picture on the timeline's frame grid: time base 1/fps, frame n stamped n.
      '[base3]settb=1/30[tl4]',
      '[tl4]format=yuv420p[vout5]',
      `${clipSound(0, '2.000')}[a6]`,
      `${clipSound(1, '1.500')},adelay=delays=2000:all=1[a7]`,
      'anullsrc=r=48000:cl=stereo,atrim=duration=3.500[sil8]',
      '[sil8][a6][a7]amix=inputs=3:duration=first:dropout_transition=0:normalize=0[mix9]',
      `[mix9]${STEREO}[aout10]`,
    ]);
    // Inputs read one frame (33 ms at 30 fps) past what they give; the second starts 5 s into the clip.
    expect(p.args).toEqual([
      '-y',
      ...['-t', '2.033', '-i', 'http://127.0.0.1:9/clip.mp4'],
      ...['-ss', '5.000000', '-t', '1.533', '-i', 'http://127.0.0.1:9/clip.mp4'],
      ...['-filter_complex', p.graph],
      ...encode('vout5', 'aout10', '3.500'),
    ]);
    expect(p.files).toEqual([]);
  });

  it('a caption track: burned in by libass from a generated .ass file, its events kept for SRT/VTT', () => {
    const p = plan({
      w: 640,
      h: 360,
      d: 0,
      t: [
        video([seg('a', 0, 3000, 0)]),
        {
          id: 'c1',
          tt: TrackType.text,
          m: { kind: 'caption' },
          sg: [
            { id: 'c1a', text: 'Hello there', s: 0, d: 1500 },
            { id: 'c1b', text: 'General Kenobi', s: 1500, d: 1500 },
          ],
        },
      ],
    });
    expect(chains(p)).toEqual([
      cover(0, 640, 360, '3.033', 90, 'vid1'),
      '[vid1]settb=1/30[tl2]',
      "[tl2]ass=filename='/tmp/job/captions-0.ass':fontsdir='/fonts'[cap3]",
      '[cap3]format=yuv420p[vout4]',
      `${clipSound(0, '3.000')}[a5]`,
      'anullsrc=r=48000:cl=stereo,atrim=duration=3.000[sil6]',
      '[sil6][a5]amix=inputs=2:duration=first:dropout_transition=0:normalize=0[mix7]',
      `[mix7]${STEREO}[aout8]`,
    ]);
    expect(p.args).toEqual([
      '-y',
      ...['-t', '3.033', '-i', 'http://127.0.0.1:9/clip.mp4'],
      ...['-filter_complex', p.graph],
      ...encode('vout4', 'aout8', '3.000'),
    ]);
    expect(p.files.map((f) => f.path)).toEqual(['/tmp/job/captions-0.ass']);
    expect(p.files[0]!.content).toContain('Hello there');
    expect(p.captions.map((e) => [e.s, e.e])).toEqual([
      [0, 1500],
      [1500, 3000],
    ]);
  });

  it('a fade in and out: on the picture before the final format, on the mixed sound before the final aformat', () => {
    const p = plan({ w: 640, h: 360, d: 0, t: [video([seg('a', 0, 3000, 0)])], m: { fade_in: 500, fade_out: 1000 } });
    expect(chains(p)).toEqual([
      cover(0, 640, 360, '3.033', 90, 'vid1'),
      '[vid1]settb=1/30[tl2]',
      '[tl2]fade=t=in:st=0:d=0.500,fade=t=out:st=2.000:d=1.000,format=yuv420p[vout3]',
      `${clipSound(0, '3.000')}[a4]`,
      'anullsrc=r=48000:cl=stereo,atrim=duration=3.000[sil5]',
      '[sil5][a4]amix=inputs=2:duration=first:dropout_transition=0:normalize=0[mix6]',
      `[mix6]afade=t=in:st=0:d=0.500,afade=t=out:st=2.000:d=1.000,${STEREO}[aout7]`,
    ]);
    // The fade never lengthens the output.
    expect(p.args).toEqual([
      '-y',
      ...['-t', '3.033', '-i', 'http://127.0.0.1:9/clip.mp4'],
      ...['-filter_complex', p.graph],
      ...encode('vout3', 'aout7', '3.000'),
    ]);
  });

  it('music at 35% ducked under the clip: volume on the music, the clip sound keys a sidechain compressor', () => {
    const p = plan(
      {
        w: 640,
        h: 360,
        d: 0,
        t: [
          video([seg('a', 0, 3000, 0)]),
          {
            id: 'm1',
            tt: TrackType.audio,
            m: { kind: 'music', volume: 0.35, duck: true },
            sg: [{ id: 'ms', src: 'song', s: 0, d: 3000, in: 0 }],
          },
        ],
      },
      { clip: CLIP, song: SONG },
    );
    expect(chains(p)).toEqual([
      cover(0, 640, 360, '3.033', 90, 'vid1'),
      '[vid1]settb=1/30[tl2]',
      '[tl2]format=yuv420p[vout3]',
      `${clipSound(0, '3.000')}[a4]`,
      'anullsrc=r=48000:cl=stereo,atrim=duration=3.000[sil5]',
      '[sil5][a4]amix=inputs=2:duration=first:dropout_transition=0:normalize=0[voice6]',
      // The clip sound goes twice: once to the mix, once as the compressor's key.
      '[voice6]asplit=2[vo7][vk8]',
      `${clipSound(1, '3.000')},volume=0.3500[a9]`,
      'anullsrc=r=48000:cl=stereo,atrim=duration=3.000[sil10]',
      '[sil10][a9]amix=inputs=2:duration=first:dropout_transition=0:normalize=0[music11]',
      '[music11][vk8]sidechaincompress=threshold=0.03:ratio=8:attack=20:release=400[duck12]',
      'anullsrc=r=48000:cl=stereo,atrim=duration=3.000[sil13]',
      '[sil13][vo7][duck12]amix=inputs=3:duration=first:dropout_transition=0:normalize=0[mix14]',
      `[mix14]${STEREO}[aout15]`,
    ]);
    expect(p.args).toEqual([
      '-y',
      ...['-t', '3.033', '-i', 'http://127.0.0.1:9/clip.mp4'],
      // Music reads 50 ms past its segment (audio has no frame grid).
      ...['-t', '3.050', '-i', 'http://127.0.0.1:9/song.mp3'],
      ...['-filter_complex', p.graph],
      ...encode('vout3', 'aout15', '3.000'),
    ]);
  });

  it('9:16: the clip is scaled up to cover 1080x1920 and centre-cropped', () => {
    const p = plan({ w: 1080, h: 1920, d: 0, t: [video([seg('a', 0, 2000, 0)])] });
    expect(chains(p)).toEqual([
      cover(0, 1080, 1920, '2.033', 60, 'vid1'),
      '[vid1]settb=1/30[tl2]',
      '[tl2]format=yuv420p[vout3]',
      `${clipSound(0, '2.000')}[a4]`,
      'anullsrc=r=48000:cl=stereo,atrim=duration=2.000[sil5]',
      '[sil5][a4]amix=inputs=2:duration=first:dropout_transition=0:normalize=0[mix6]',
      `[mix6]${STEREO}[aout7]`,
    ]);
    expect(chains(p)[0]).toContain('scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920');
    expect(p.args).toEqual([
      '-y',
      ...['-t', '2.033', '-i', 'http://127.0.0.1:9/clip.mp4'],
      ...['-filter_complex', p.graph],
      ...encode('vout3', 'aout7', '2.000'),
    ]);
  });
});
