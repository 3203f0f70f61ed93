/**
 * Issue 11, item 6: captions render as written. Checked on decoded frames from real libass: a
 * caption full of ASS specials (\N, \h, \\, {\fs120}) stays one line at the normal size and shows
 * more glyphs than the same letters without them, where unescaped it broke the line or grew 5×.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TextSegmentSchema } from '../../src/draft/schema.ts';
import { buildAss, escapeAss } from '../src/render/captions/ass.ts';
import { captionEvents } from '../src/render/captions/caption-events.ts';

const exec = promisify(execFile);
const W = 640;
const H = 160;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hostile-text-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Bounding box of lit pixels in one frame of `text` burned in as a caption by libass. */
async function captionBox(name: string, text: string, assOverride?: string) {
  const seg = TextSegmentSchema.parse({ id: 's', text, s: 0, d: 1000, m: { pos: 'center' } });
  const ass = assOverride ?? buildAss([{ seg, events: captionEvents(seg) }], { w: W, h: H, fontSize: 24 }, null);
  const assPath = join(dir, `${name}.ass`);
  await writeFile(assPath, ass);
  const { stdout } = await exec(
    'ffmpeg',
    [
      ...['-v', 'error', '-f', 'lavfi', '-i', `color=c=black:s=${W}x${H}:d=1`],
      ...['-vf', `subtitles=${assPath}`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'],
    ],
    { encoding: 'buffer', maxBuffer: W * H * 2 },
  );
  let [x0, y0, x1, y1] = [W, H, -1, -1];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (stdout[y * W + x]! > 128)
        [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  }
  return { width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

describe('ASS specials in captions (decoded frames)', () => {
  it('escapes backslashes with an invisible joiner and braces with libass escapes', () => {
    expect(escapeAss('a\\Nb {x}')).toBe('a\\\u2060Nb \\{x\\}');
  });

  it('renders \\N, \\h, \\\\ and an override block as written: one line, normal size', async () => {
    const plain = await captionBox('plain', 'A B C D E');
    const hostile = await captionBox('hostile', 'A\\N B \\h C \\\\ D {\\fs120}E');
    // One line at 24 px: same height as the plain caption (a \N would double it, \fs120 grow it 5×).
    expect(hostile.height).toBeLessThanOrEqual(plain.height + 6);
    // The backslashes, letters N/h and the braces are drawn: wider than the plain letters.
    expect(hostile.width).toBeGreaterThan(plain.width * 1.8);
    // Control: the same text unescaped really is interpreted (so the test can tell the difference).
    const seg = TextSegmentSchema.parse({ id: 's', text: 'A B C D E', s: 0, d: 1000, m: { pos: 'center' } });
    const raw = buildAss([{ seg, events: captionEvents(seg) }], { w: W, h: H, fontSize: 24 }, null).replace(
      'A B C D E',
      'A\\N B \\h C \\\\ D {\\fs120}E',
    );
    const interpreted = await captionBox('raw', '', raw);
    expect(interpreted.height).toBeGreaterThan(plain.height * 2);
  });
});
