/**
 * The share page in a real browser: Debian's headless Chromium (driven by playwright-core, never
 * `playwright install`) opens the page of a real render, the <video> loads its metadata through
 * the signed, Range-capable URL, and a screenshot is kept in test-artifacts/share.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
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
});
