/**
 * The editor under harder conditions, in headless Chromium: a large upload broken off and resumed
 * after a reload (tus: only the missing parts are sent), a long chat turn showing heartbeats and
 * render progress, and time to interactive on a throttled phone profile (written to
 * test-artifacts/web-metrics-throttled.json).
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, exec, startEditorStack } from './browser-fixture.ts';
import { makeClip } from './render-fixture.ts';
import type { Stack } from './stack.ts';

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  // Heartbeats every 300 ms instead of 10 s, so a short export turn shows them.
  ({ stack, browser } = await startEditorStack({ env: { CHAT_HEARTBEAT_MS: '300' } }));
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the editor at / under load', () => {
  it('resumes a large upload after a reload: only the missing parts are sent again', async () => {
    // ~17 MB of lossless noise: three 8 MiB tus PATCHes.
    const big = join(mkdtempSync(join(tmpdir(), 'openedit-big-')), 'big.mp4');
    await exec('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=640x360:r=25:d=2'],
      ...[
        '-vf',
        'noise=alls=100:allf=t',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-qp',
        '0',
        '-pix_fmt',
        'yuv420p',
        big,
      ],
    ]);
    const size = statSync(big).size;
    expect(size).toBeGreaterThan(16 * 1024 * 1024 + 1);
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(`${stack.baseUrl}/`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.click('#new-session');
    await page.waitForSelector('#editor:not([hidden])');
    // The connection "drops" after the first part: every later PATCH fails.
    let patches = 0;
    await page.route('**/tus/**', (route) =>
      route.request().method() === 'PATCH' && patches++ >= 1 ? route.abort('connectionreset') : route.continue(),
    );
    const firstPart = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.status() === 204);
    await page.setInputFiles('#file-input', big);
    expect((await firstPart).headers()['upload-offset']).toBe(String(8 * 1024 * 1024));
    await page.unroute('**/tus/**');

    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    const offsets: number[] = [];
    page.on('request', (r) => {
      if (r.method() === 'PATCH') offsets.push(Number(r.headers()['upload-offset']));
    });
    const head = page.waitForResponse((r) => r.request().method() === 'HEAD' && r.url().includes('/tus/'));
    await page.setInputFiles('#file-input', big);
    // The client asks the server how much it has (the first part, and whatever of the broken one arrived)...
    const stored = Number((await head).headers()['upload-offset']);
    expect(stored).toBeGreaterThanOrEqual(8 * 1024 * 1024);
    await page.waitForSelector('#media-list li', { timeout: 60_000 });
    // ...and sends only the rest, in parts from there: nothing from 0 again.
    expect(offsets[0]).toBe(stored);
    expect(offsets.every((o, i) => i === 0 || o - offsets[i - 1]! === 8 * 1024 * 1024)).toBe(true);
    expect(offsets.at(-1)! + 8 * 1024 * 1024).toBeGreaterThanOrEqual(size);
    expect(await page.textContent('#uploads')).toContain('big.mp4: uploaded');
    expect(await page.textContent('#media-list')).toContain('big.mp4');
    await page.screenshot({ path: join(ARTIFACTS, 'web-7-resumed.png') });
    await ctx.close();
  }, 180_000);

  it('shows heartbeats and render progress while a long turn ("export") runs, then its links', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(`${stack.baseUrl}/`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.click('#new-session');
    await page.waitForSelector('#editor:not([hidden])');
    await page.setInputFiles('#file-input', await makeClip());
    await page.waitForSelector('#media-list li', { timeout: 60_000 });
    // Every text the answer's progress line shows, as it changes.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      new MutationObserver(() => {
        const line = document.querySelector('.msg.agent[aria-busy] > .tool:last-child');
        if (line?.textContent && seen.at(-1) !== line.textContent) seen.push(line.textContent);
      }).observe(document.getElementById('chat-log')!, { childList: true, subtree: true, characterData: true });
    });
    await page.fill('#chat-input', 'export');
    await page.press('#chat-input', 'Enter');
    await page.waitForSelector('.msg.agent:not([aria-busy])', { timeout: 120_000 });
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    expect(
      seen.some((t) => /^Still working \(\d+ s\)…$/.test(t)),
      seen.join(' | '),
    ).toBe(true);
    expect(
      seen.some((t) => /Render/i.test(t)),
      seen.join(' | '),
    ).toBe(true);
    // Its download and share links are links.
    const links = await page.$$eval('.msg.agent a', (as) => as.map((a) => a.getAttribute('href')));
    expect(links.some((l) => /\/out\.mp4\?m=GET&exp=\d+&sig=/.test(l!))).toBe(true);
    expect(links.some((l) => /\/s\/[\w-]{64}$/.test(l!))).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'web-8-chat-export.png') });
    await ctx.close();
  }, 180_000);

  it('is interactive within seconds on a throttled phone (slow 4G, 4x slower CPU)', async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    // Roughly Lighthouse's mobile profile: 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up, CPU 4x slower.
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6 * 1024 * 1024) / 8,
      uploadThroughput: (750 * 1024) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.goto(`${stack.baseUrl}/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    const interactive = await page.evaluate(() => Math.round(performance.now()));
    writeFileSync(
      join(ARTIFACTS, 'web-metrics-throttled.json'),
      `${JSON.stringify({ interactive_ms: interactive })}\n`,
    );
    console.log('throttled phone: interactive after', interactive, 'ms');
    expect(interactive).toBeLessThan(5000);
    await ctx.close();
  }, 60_000);
});
