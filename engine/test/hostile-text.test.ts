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
import { buildTitleAss } from '../src/render/captions/title-ass.ts';

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

/** Lit-pixel box and the gray frame of a title script rendered the way the engine does (ass + fontsdir). */
async function titleFrame(name: string, ass: string) {
  const assPath = join(dir, `${name}.ass`);
  await writeFile(assPath, ass);
  const { stdout } = await exec(
    'ffmpeg',
    [
      ...['-v', 'error', '-f', 'lavfi', '-i', `color=c=black:s=${W}x${H}:d=1`],
      ...['-vf', `ass=filename=${assPath}`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'],
    ],
    { encoding: 'buffer', maxBuffer: W * H * 2 },
  );
  let [x0, y0, x1, y1] = [W, H, -1, -1];
  for (let i = 0; i < W * H; i++) {
    if (stdout[i]! > 128) {
      const [x, y] = [i % W, Math.floor(i / W)];
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  }
  return { pixels: stdout, x0, y0, x1, y1 };
}

const diff = (a: Buffer, b: Buffer) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0) / a.length;
const title = (text: string, size = 24) =>
  TextSegmentSchema.parse({ id: 't', text, s: 0, d: 1000, m: { pos: 'center', size } });

describe('titles through libass (decoded frames)', () => {
  it('wraps a long title inside the frame instead of running off it', async () => {
    const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const f = await titleFrame('long', buildTitleAss([title(long)], { w: W, h: H }));
    expect(f.x0).toBeGreaterThan(0);
    expect(f.x1).toBeLessThan(W - 1);
    expect(f.y1 - f.y0).toBeGreaterThan(3 * 24); // several lines
  });

  it('draws Arabic in a title styled with the CJK font (fallback), not missing-glyph boxes', async () => {
    const arabic = buildTitleAss([title('مرحبا بالعالم')], { w: W, h: H });
    expect(arabic).toContain('Style: Title,DejaVu Sans,');
    const inCjkStyle = arabic.replace('Style: Title,DejaVu Sans,', 'Style: Title,Noto Sans CJK SC,');
    const tofu = arabic.replace(
      'مرحبا بالعالم',
      '\uE000\uE001\uE002\uE003\uE004 \uE005\uE006\uE007\uE008\uE009\uE00A\uE00B',
    );
    const [a, b, t] = await Promise.all([
      titleFrame('ar', arabic),
      titleFrame('ar-cjk', inCjkStyle),
      titleFrame('tofu', tofu),
    ]);
    expect(diff(a.pixels, b.pixels)).toBeLessThan(1); // the same glyphs, found by fallback
    expect(diff(a.pixels, t.pixels)).toBeGreaterThan(2); // and they are not boxes
  });

  it('keeps the author line breaks and escapes the rest', () => {
    const ass = buildTitleAss([title('one\ntwo {\\b1}')], { w: W, h: H });
    expect(ass).toContain('}one\\Ntwo \\{\\\u2060b1\\}');
  });
});
