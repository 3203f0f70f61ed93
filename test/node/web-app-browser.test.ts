/**
 * The editor at `/` in Debian's headless Chromium (playwright-core, never `playwright install`),
 * against the whole stack, as a person would use it: open the page (page weight and time to
 * interactive measured), new project, upload a generated talking clip (tus, progress bar), type
 * "trim the pauses, add captions", see the timeline change and the preview play, undo with the
 * keyboard, redo, export and watch the progress reach done, then open the share link and check
 * the poster and the player's shape. Screenshots go to test-artifacts/web-*.png.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, exec, startEditorStack } from './browser-fixture.ts';
import type { Stack } from './stack.ts';

let stack: Stack;
let browser: Browser;
let clip: string;

/** Three sentences with 1.5 s pauses between them, over a test pattern (9:16, as phones shoot). */
async function talkingClip(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'openedit-web-'));
  const wav = join(dir, 'speech.wav');
  const ssml =
    '<speak>Hello and welcome. <break time="1500ms"/> Today we cut the pauses. <break time="1500ms"/> Thanks for watching.</speak>';
  await exec('espeak-ng', ['-v', 'en-us', '-s', '150', '-m', '-w', wav, ssml]);
  const out = join(dir, 'talk.mp4');
  await exec('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=360x640:r=25', '-i', wav],
    ...['-shortest', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', out],
  ]);
  return out;
}

beforeAll(async () => {
  [{ stack, browser }, clip] = await Promise.all([startEditorStack(), talkingClip()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `web-${name}.png`) });

/** Segments per track type on the timeline, as drawn. */
const lanes = (page: Page) =>
  page.$$eval('#timeline .track', (tracks) =>
    tracks.map((t) => ({ type: (t as HTMLElement).dataset.track, segments: t.querySelectorAll('.seg').length })),
  );
const version = (page: Page) => page.$eval('#timeline', (el) => Number((el as HTMLElement).dataset.version));

describe('the editor at /', () => {
  it('upload, chat, timeline, preview, undo/redo, export, share: the whole flow in a browser', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const logs: string[] = [];
    page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
    const ctx = () => `${logs.join('\n')}\n--- stack ---\n${stack.logs().slice(-3000)}`;

    // Page weight and time to interactive: the page is interactive once boot() has a token and the project list.
    const first = await page.goto(`${stack.baseUrl}/`);
    expect(first?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    const metrics = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      const statics = res.filter((r) => !r.name.includes('/api/'));
      return {
        html_bytes: nav.encodedBodySize,
        asset_bytes: statics.reduce((n, r) => n + r.encodedBodySize, 0),
        assets: statics.map((r) => r.name.replace(location.origin, '')),
        dom_content_loaded_ms: Math.round(nav.domContentLoadedEventEnd),
        interactive_ms: Math.round(performance.now()),
      };
    });
    writeFileSync(join(ARTIFACTS, 'web-metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
    console.log('editor page weight and time to interactive:', JSON.stringify(metrics));
    expect(
      metrics.assets.every((a) => a.startsWith('/assets/')),
      'no CDN, nothing from elsewhere',
    ).toBe(true);
    expect(metrics.html_bytes + metrics.asset_bytes).toBeLessThan(100_000);
    expect(metrics.interactive_ms).toBeLessThan(5000);
    // The API keeps its routes beside the page.
    expect((await page.request.get(`${stack.baseUrl}/openapi.json`)).status()).toBe(200);

    await page.fill('#project-name', 'Pause test');
    await page.click('#new-session');
    await page.waitForSelector('#editor:not([hidden])');
    expect(await page.textContent('.session-list button[aria-current="true"]')).toMatch(/^Pause test · /);
    await page.setInputFiles('#file-input', clip);
    await page.waitForSelector('#media-list li', { timeout: 60_000 });
    expect(await page.textContent('#uploads')).toContain('talk.mp4: uploaded');
    expect(await page.$eval('#uploads progress', (p) => (p as HTMLProgressElement).value)).toBe(1);
    await shot(page, '1-uploaded');

    // Chat with the keyboard: type, Enter sends; the answer streams in, then the timeline changes.
    await page.focus('#chat-input');
    await page.keyboard.type('trim the pauses, add captions');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.msg.agent:not([aria-busy])', { timeout: 120_000 });
    const answer = await page.textContent('.msg.agent');
    expect(answer, ctx()).toMatch(/trim_pauses: trimmed the pauses/);
    await page.waitForFunction(() => document.querySelector('#timeline .track[data-track="7"]'), undefined, {
      timeout: 10_000,
    });
    const edited = await lanes(page);
    const v1 = await version(page);
    expect(edited.find((l) => l.type === '0')!.segments, 'pauses cut: several clips').toBeGreaterThan(1);
    expect(edited.find((l) => l.type === '7')!.segments, 'captions').toBeGreaterThan(0);

    // The preview of this cut plays: the 360p proxy, in the video's shape.
    const preview = await page.waitForFunction(
      () => {
        const v = document.querySelector<HTMLVideoElement>('#preview')!;
        return v.readyState >= 1 && v.videoHeight > 0 ? { w: v.videoWidth, h: v.videoHeight, d: v.duration } : null;
      },
      undefined,
      { timeout: 90_000 },
    );
    const pv = (await preview.jsonValue()) as { w: number; h: number; d: number };
    expect(pv).toMatchObject({ w: 360, h: 640 });
    expect(pv.d).toBeLessThan(7.5);
    // A representative frame as its poster, not the black first frame.
    expect(await page.$eval('#preview', (v) => (v as HTMLVideoElement).poster)).toMatch(/poster\.jpg/);
    await shot(page, '2-edited');

    // Undo from the keyboard (focus outside text fields), then redo with the button.
    await page.focus('#export');
    await page.keyboard.press('Control+z');
    await page.waitForFunction((v) => Number(document.getElementById('timeline')!.dataset.version) !== v, v1, {
      timeout: 60_000,
    });
    expect(
      (await lanes(page)).some((l) => l.type === '7'),
      'undo took the captions away',
    ).toBe(false);
    await shot(page, '3-undone');
    await page.click('#redo');
    await page.waitForFunction(() => document.querySelector('#timeline .track[data-track="7"]'), undefined, {
      timeout: 60_000,
    });
    expect(await lanes(page)).toEqual(edited);
    // The preview comes back with the cut (from the cache: same version, same file).
    await page.waitForFunction(
      () => {
        const v = document.querySelector<HTMLVideoElement>('#preview')!;
        return !document.getElementById('preview-box')!.hidden && v.readyState >= 1 && v.videoHeight === 640;
      },
      undefined,
      { timeout: 30_000 },
    );

    // An edit that cannot be done shows as an error answer, in the service's words; the timeline stays.
    await page.fill('#chat-input', 'trim the pauses');
    await page.click('#send');
    await page.waitForSelector('.msg.agent.error:not([aria-busy])', { timeout: 60_000 });
    expect(await page.textContent('.msg.agent.error')).toMatch(/paus/i);
    expect(await version(page)).toBe(v1);

    // Export: progress goes up to done, then download and share link.
    const seen: number[] = [];
    await page.exposeFunction('noteProgress', (v: number) => seen.push(v));
    await page.evaluate(() => {
      const bar = document.getElementById('export-bar') as HTMLProgressElement;
      new MutationObserver(() =>
        (window as unknown as { noteProgress(v: number): void }).noteProgress(bar.value),
      ).observe(document.getElementById('export-text')!, { childList: true, characterData: true, subtree: true });
    });
    await page.click('#export');
    await page.waitForSelector('#export-result:not([hidden])', { timeout: 180_000 });
    expect(await page.$eval('#export-bar', (b) => (b as HTMLProgressElement).value)).toBe(1);
    expect(seen.at(-1)).toBe(1);
    const shareUrl = await page.inputValue('#share-url');
    expect(shareUrl).toMatch(/\/s\/[\w-]{64}$/);
    const download = await page.getAttribute('#download', 'href');
    expect((await page.request.get(download!)).headers()['content-type']).toBe('video/mp4');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.baseUrl });
    await page.click('#copy-share');
    await page.waitForSelector('#toast:not([hidden])');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shareUrl);
    await shot(page, '4-exported');

    // The share page of the export: poster loads, player box has the video's 9:16 shape.
    const share = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await share.goto(shareUrl, { waitUntil: 'load' });
    const m = await share.evaluate(async () => {
      const v = document.querySelector('video')!;
      const img = new Image();
      img.src = v.poster;
      await img.decode();
      const box = v.getBoundingClientRect();
      return { w: img.naturalWidth, h: img.naturalHeight, boxW: box.width, boxH: box.height };
    });
    expect(m.w / m.h).toBeCloseTo(9 / 16, 2);
    expect(m.boxW / m.boxH).toBeCloseTo(9 / 16, 2);
    await share.screenshot({ path: join(ARTIFACTS, 'web-5-share.png') });
    await share.close();

    // Reopened later (a reload), the project shows its conversation again.
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    // From the keyboard, the first Tab reaches "Skip to chat", and Enter lands in the chat box.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('chat-input');
    await page.waitForSelector('#chat-log .msg.user');
    // ...and its exports, with their poster, download and share page.
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('#exports li img');
      return img?.complete && img.naturalWidth > 0;
    });
    expect(await page.$$eval('#exports li a', (as) => as.map((a) => a.getAttribute('href')))).toContain(shareUrl);
    expect(await page.$$eval('#chat-log .msg.user', (els) => els.map((e) => e.textContent))).toEqual([
      'trim the pauses, add captions',
      'undo',
      'redo',
      'trim the pauses',
    ]);

    // The same editor on a phone, in Chinese.
    // Same browser storage (token, project), phone screen.
    const phoneCtx = await browser.newContext({
      storageState: await page.context().storageState(),
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const phone = await phoneCtx.newPage();
    await phone.goto(page.url());
    await phone.waitForSelector('body[data-ready="true"]');
    await phone.selectOption('#lang', 'zh');
    expect(await phone.textContent('#undo')).toBe('撤销');
    expect(await phone.getAttribute('#chat-input', 'placeholder')).toBe('例如：剪掉停顿，加字幕');
    await phone.waitForSelector('#timeline .track');
    await phone.waitForFunction(() => document.getElementById('preview-status')!.textContent!.includes('版本'));
    expect(await phone.isVisible('#export-result'), 'nothing exported on this page yet').toBe(false);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    expect(overflow, 'nothing wider than the phone').toBeLessThanOrEqual(0);
    await phone.screenshot({ path: join(ARTIFACTS, 'web-6-phone-zh.png'), fullPage: true });
    await phoneCtx.close();
    expect(
      logs.filter((l) => l.startsWith('pageerror') || /Content Security Policy/.test(l)),
      ctx(),
    ).toEqual([]);
    await page.close();
  }, 420_000);
});
