import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AbortedError, FfmpegError, probe, runFfmpeg } from '../src/ffmpeg/run-ffmpeg.ts';

describe('runFfmpeg', () => {
  it('reports progress from 0 to 1 and probes the result', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'run-ffmpeg-'));
    try {
      const seen: number[] = [];
      const out = join(dir, 'a.mp4');
      await runFfmpeg(
        ['-f', 'lavfi', '-i', 'testsrc2=s=160x120:r=25:d=2', '-c:v', 'libx264', '-preset', 'ultrafast', out],
        {
          durationMs: 2000,
          onProgress: (p) => seen.push(p),
        },
      );
      expect(seen.at(-1)).toBe(1);
      for (const p of seen) expect(p).toBeGreaterThanOrEqual(0);
      const info = await probe(out);
      expect(info.streams[0]).toMatchObject({ codec_name: 'h264', width: 160, height: 120 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('kills ffmpeg on abort', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'run-ffmpeg-'));
    try {
      const ac = new AbortController();
      const started = Date.now();
      const run = runFfmpeg(['-re', '-f', 'lavfi', '-i', 'testsrc2=d=60', '-f', 'null', '-'], { signal: ac.signal });
      setTimeout(() => ac.abort(), 300);
      await expect(run).rejects.toBeInstanceOf(AbortedError);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects with the tail of stderr on failure', async () => {
    const err = await runFfmpeg(['-i', '/nonexistent/file.mp4', '-f', 'null', '-']).catch((e) => e);
    expect(err).toBeInstanceOf(FfmpegError);
    expect(err.message).toMatch(/No such file/);
  });
});
