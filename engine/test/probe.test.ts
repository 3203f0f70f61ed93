import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProbeResult } from '../../src/lib/engine-protocol.ts';
import { type Fixture, setUp } from './fixtures.ts';
import { ffmpeg } from './media.ts';

let fx: Fixture;
beforeAll(async () => {
  fx = await setUp();
  const d = fx.dir;
  await ffmpeg(
    ...['-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=25:d=2', '-f', 'lavfi', '-i', 'sine=f=440:d=2'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', join(d, 'clip.mp4')],
  );
  // Portrait phone footage: landscape pixels plus a rotation tag.
  await ffmpeg('-i', join(d, 'clip.mp4'), '-c', 'copy', '-metadata:s:v', 'rotate=90', join(d, 'rotated.mov'));
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc2=s=300x200:d=2', '-c:v', 'libvpx-vp9', '-an', join(d, 'silent.webm'));
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc2=s=64x48', '-frames:v', '1', join(d, 'still.png'));
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc2=s=64x48', '-frames:v', '1', join(d, 'still.jpg'));
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc2=s=64x48', '-frames:v', '1', join(d, 'still.gif'));
  await ffmpeg('-f', 'lavfi', '-i', 'testsrc2=s=64x48:r=10:d=1', join(d, 'animated.gif'));
  await ffmpeg('-f', 'lavfi', '-i', 'sine=d=1.5', '-c:a', 'libmp3lame', join(d, 'tone.mp3'));
  await ffmpeg('-f', 'lavfi', '-i', 'sine=d=1', join(d, 'tone.wav'));
  await writeFile(join(d, 'junk.mp4'), Buffer.from('this is not a video at all, just text'.repeat(20)));
});
afterAll(() => fx.close());

describe('POST /probe', () => {
  it('describes a video with audio', async () => {
    const { status, json } = await fx.call('POST', '/probe', { url: fx.files.url('clip.mp4') });
    expect(status).toBe(200);
    ProbeResult.parse(json);
    expect(json).toMatchObject({ kind: 'video', width: 320, height: 240, fps: 25, rotation: 0 });
    expect(json).toMatchObject({ video_codec: 'h264', audio_codec: 'aac', has_audio: true });
    expect(Math.abs(json.duration_ms - 2000)).toBeLessThanOrEqual(50);
  });

  it('reports rotation and a video without audio', async () => {
    // ffmpeg 5.1's own muxer and demuxer disagree on the sign of the `rotate` tag: accept either quarter turn.
    expect([90, 270]).toContain((await fx.call('POST', '/probe', { url: fx.files.url('rotated.mov') })).json.rotation);
    const { json } = await fx.call('POST', '/probe', { url: fx.files.url('silent.webm') });
    expect(json).toMatchObject({ kind: 'video', video_codec: 'vp9', has_audio: false, audio_codec: null });
  });

  it('describes images and audio files', async () => {
    for (const name of ['still.png', 'still.jpg', 'still.gif']) {
      const { json } = await fx.call('POST', '/probe', { url: fx.files.url(name) });
      expect(json).toMatchObject({ kind: 'image', width: 64, height: 48, duration_ms: null, has_audio: false });
    }
    const mp3 = (await fx.call('POST', '/probe', { url: fx.files.url('tone.mp3') })).json;
    expect(mp3).toMatchObject({ kind: 'audio', audio_codec: 'mp3', has_audio: true, width: null });
    expect(Math.abs(mp3.duration_ms - 1500)).toBeLessThan(80);
    expect((await fx.call('POST', '/probe', { url: fx.files.url('tone.wav') })).json.kind).toBe('audio');
    // An animated GIF is a (silent) clip.
    const gif = (await fx.call('POST', '/probe', { url: fx.files.url('animated.gif') })).json;
    expect(gif).toMatchObject({ kind: 'video', width: 64, height: 48, fps: 10, has_audio: false });
  });

  it('answers 422 for a file ffprobe cannot read and 400 for a bad body', async () => {
    const junk = await fx.call('POST', '/probe', { url: fx.files.url('junk.mp4') });
    expect(junk.status).toBe(422);
    expect(junk.json.error).toMatch(/cannot read|no audio or video/);
    expect((await fx.call('POST', '/probe', { url: fx.files.url('missing.mp4') })).status).toBe(422);
    const bad = await fx.call('POST', '/probe', { url: 'not a url' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/^url:/);
    expect((await fx.call('POST', '/probe', '{oops')).status).toBe(400);
  });

  it('GET /health names ffmpeg and the ASR provider', async () => {
    const { status, json } = await fx.call('GET', '/health');
    expect(status).toBe(200);
    expect(json).toMatchObject({ ok: true, asr: 'whisper', asr_model: 'base', vad: 'silero' });
    expect(json.ffmpeg).toMatch(/^\d+\.\d+/);
  });
});
