/**
 * The share page in a real browser: Debian's headless Chromium (driven by playwright-core, never
 * `playwright install`) opens the page of a real render, the <video> loads its metadata through
 * the signed, Range-capable URL, and a screenshot is kept in test-artifacts/share.png. Then the
 * poster and the player's shape: a 16:9 and a 9:16 render on a laptop and a phone viewport.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderClip } from './render-fixture.ts';
import { REPO_ROOT, type Stack, startStack } from './stack.ts';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('share page in headless Chromium', () => {
  it('plays the rendered video (metadata loads) and shows title and download button', async () => {
    const r = await renderClip(stack.baseUrl, { title: 'Share page in a browser', timeoutMs: 200_000 }).catch(
      (err: Error) => {
        throw new Error(`${err.message}\n--- stack logs ---\n${stack.logs().slice(-6000)}`);
      },
    );
    expect(r.status.error, stack.logs().slice(-3000)).toBeUndefined();
    expect(r.status.status).toBe('done');

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const res = await page.goto(r.status.share_url!, { waitUntil: 'domcontentloaded' });
    expect(res?.status()).toBe(200);
    expect(await page.title()).toBe('Share page in a browser');
    expect(await page.getAttribute('meta[property="og:title"]', 'content')).toBe('Share page in a browser');
    expect(await page.getAttribute('meta[property="og:video:type"]', 'content')).toBe('video/mp4');
    expect(await page.textContent('h1')).toBe('Share page in a browser');
    expect(await page.getAttribute('#download', 'download')).toBe('Share page in a browser.mp4');

    const media = await page.waitForFunction(
      () => {
        const v = document.querySelector('video');
        if (!v) return null;
        if (v.error) return { error: v.error.code };
        return v.readyState >= 1 ? { duration: v.duration, width: v.videoWidth, height: v.videoHeight } : null;
      },
      undefined,
      { timeout: 20_000 },
    );
    const meta = (await media.jsonValue()) as { duration?: number; width?: number; height?: number; error?: number };
    expect(meta.error).toBeUndefined();
    expect(meta.duration).toBeGreaterThan(2.9);
    expect(meta).toMatchObject({ width: 1280, height: 720 });

    // Seek: the player asks for a byte range, and the picture at 2 s decodes.
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const v = document.querySelector('video')!;
          v.addEventListener('seeked', () => resolve(), { once: true });
          v.currentTime = 2;
        }),
    );
    mkdirSync(join(REPO_ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: join(REPO_ROOT, 'test-artifacts', 'share.png'), fullPage: true });
    await page.close();
  }, 240_000);

  const VIEWPORTS = { laptop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

  /** The poster as the browser loaded it, and the player box's measured size. */
  async function posterAndBox(page: Page) {
    return page.evaluate(async () => {
      const v = document.querySelector('video')!;
      const img = new Image();
      img.src = v.poster;
      await img.decode();
      const box = document.getElementById('player-box')!.getBoundingClientRect();
      const vbox = v.getBoundingClientRect();
      return {
        poster: v.poster,
        natural: { w: img.naturalWidth, h: img.naturalHeight },
        box: { w: box.width, h: box.height, top: box.top, bottom: box.bottom },
        video: { w: vbox.width, h: vbox.height },
        viewport: { w: innerWidth, h: innerHeight },
      };
    });
  }

  for (const shape of [
    { name: '16x9', w: 1280, h: 720 },
    { name: '9x16', w: 720, h: 1280 },
  ]) {
    it(`${shape.name}: the poster loads (og:image too) and the player box has the video's aspect on laptop and phone`, async () => {
      const r = await renderClip(stack.baseUrl, {
        title: `Shape ${shape.name}`,
        size: { w: shape.w, h: shape.h },
        timeoutMs: 200_000,
      });
      expect(r.status.status, r.status.error ?? stack.logs().slice(-3000)).toBe('done');
      for (const [device, viewport] of Object.entries(VIEWPORTS)) {
        const page = await browser.newPage({ viewport });
        const res = await page.goto(r.status.share_url!, { waitUntil: 'load' });
        expect(res?.status()).toBe(200);
        const og = await page.getAttribute('meta[property="og:image"]', 'content');
        const m = await posterAndBox(page);
        expect(m.poster).toBe(og);
        // The poster keeps the video's shape (scaled to fit 1280 px).
        expect(m.natural).toEqual({ w: shape.w, h: shape.h });
        expect(await page.getAttribute('meta[property="og:image:width"]', 'content')).toBe(String(shape.w));
        expect(await page.getAttribute('meta[property="og:image:height"]', 'content')).toBe(String(shape.h));
        expect(m.box.w / m.box.h).toBeCloseTo(shape.w / shape.h, 2);
        expect(m.video).toEqual({ w: m.box.w, h: m.box.h });
        // The whole player fits the screen: a tall video is not cut off below the fold.
        expect(m.box.h).toBeLessThanOrEqual(m.viewport.h * 0.8);
        expect(m.box.w).toBeLessThanOrEqual(m.viewport.w);
        // Wide on a laptop; on a phone a wide video spans the width and a tall one most of it.
        if (device === 'phone') expect(m.box.w).toBeGreaterThan(m.viewport.w * (shape.w > shape.h ? 0.9 : 0.7));
        mkdirSync(join(REPO_ROOT, 'test-artifacts'), { recursive: true });
        await page.screenshot({ path: join(REPO_ROOT, 'test-artifacts', `share-${shape.name}-${device}.png`) });
        await page.close();
      }
    }, 240_000);
  }
});
