/**
 * The editor's transcript panel in Debian's headless Chromium, against the whole stack with the
 * real recogniser (Whisper base in the engine's speech worker): a generated espeak-ng clip is
 * uploaded and captioned by the chat, its words appear, a run selected with click and shift-click
 * is cut (struck through, a new draft version, the timeline redrawn), restored from the keyboard,
 * and a misheard word fixed in the captions. Screenshots go to test-artifacts/transcript-*.png.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, exec, startEditorStack } from './browser-fixture.ts';
import type { Stack } from './stack.ts';

let stack: Stack;
let browser: Browser;
let clip: string;

async function talkingClip(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'openedit-tv-'));
  const wav = join(dir, 'speech.wav');
  const ssml =
    '<speak>Hello and welcome to the show. <break time="800ms"/> Today we talk about editing video. <break time="800ms"/> Thanks for watching.</speak>';
  await exec('espeak-ng', ['-v', 'en-us', '-s', '140', '-m', '-w', wav, ssml]);
  const out = join(dir, 'words.mp4');
  await exec('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=640x360:r=25', '-i', wav],
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

interface Seg {
  text?: string;
}
/** The draft as the API has it (GET state with the page's own token). */
async function state(page: Page): Promise<{ draft_version: number; captions: string }> {
  const [tok, sid] = await page.evaluate(() => [
    localStorage.getItem('openedit.token'),
    localStorage.getItem('openedit.session'),
  ]);
  const res = await page.request.get(`${stack.baseUrl}/api/state/nemo_agent/me/${sid}/latest`, {
    headers: { authorization: `Bearer ${tok}` },
  });
  const { data } = (await res.json()) as {
    data: { draft_version: number; draft: { t: { tt: number; sg: Seg[] }[] } };
  };
  const captions = data.draft.t
    .filter((t) => t.tt === 7)
    .flatMap((t) => t.sg.map((s) => s.text ?? ''))
    .join(' ');
  return { draft_version: data.draft_version, captions };
}

const words = (page: Page) =>
  page.$$eval('#transcript .word', (els) =>
    els.map((e) => ({
      text: e.textContent ?? '',
      cut: e.classList.contains('cut'),
      struck: getComputedStyle(e).textDecorationLine.includes('line-through'),
    })),
  );
const shown = (page: Page) => page.$eval('#transcript', (el) => Number((el as HTMLElement).dataset.version));

describe('the transcript panel', () => {
  it('shows the words, cuts and restores a selected run, fixes a caption word', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const logs: string[] = [];
    page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
    page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
    const ctx = () => `${logs.join('\n')}\n--- stack ---\n${stack.logs().slice(-3000)}`;

    await page.goto(`${stack.baseUrl}/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    await page.click('#new-session');
    await page.waitForSelector('#editor:not([hidden])');
    await page.setInputFiles('#file-input', clip);
    await page.waitForSelector('#media-list li', { timeout: 60_000 });
    await page.fill('#chat-input', 'add captions');
    await page.click('#send');
    await page.waitForSelector('.msg.agent:not([aria-busy])', { timeout: 120_000 });
    // The words appear (after "still analysing" if the recogniser is still at it).
    await page.waitForFunction(() => document.querySelectorAll('#transcript .word').length > 8, undefined, {
      timeout: 60_000,
    });
    const before = await words(page);
    expect(before.map((w) => w.text).join(' '), ctx()).toMatch(/today we talk about editing video/i);
    expect(before.some((w) => w.cut)).toBe(false);
    const v0 = await state(page);
    expect(v0.captions.toLowerCase()).toContain('editing');
    await page.screenshot({ path: join(ARTIFACTS, 'transcript-1-words.png') });

    // Select "we talk about" with click and shift-click, then Cut.
    const idx = (w: string) => before.findIndex((x) => x.text.toLowerCase().replace(/\W/g, '') === w);
    const [from, to] = [idx('we'), idx('about')];
    expect(from, ctx()).toBeGreaterThan(0);
    await page.click(`#tw-${from}`);
    await page.click(`#tw-${to}`, { modifiers: ['Shift'] });
    expect(await page.$$eval('#transcript [aria-selected="true"]', (e) => e.length)).toBe(to - from + 1);
    expect(await page.textContent('#cut-words')).toBe('Cut');
    const timelineBefore = await page.$eval('#timeline', (el) => el.innerHTML);
    await page.click('#cut-words');
    await page.waitForFunction(
      (v) => Number(document.getElementById('transcript')!.dataset.version) > v,
      v0.draft_version,
    );
    const afterCut = await words(page);
    for (let i = 0; i < afterCut.length; i++) {
      const inRun = i >= from && i <= to;
      expect(afterCut[i]!.cut, `${afterCut[i]!.text} ${i}`).toBe(inRun);
      expect(afterCut[i]!.struck).toBe(inRun);
    }
    const v1 = await state(page);
    expect(v1.draft_version).toBeGreaterThan(v0.draft_version);
    expect(await shown(page)).toBe(v1.draft_version);
    // The timeline follows the edit, as after a chat turn.
    await page.waitForFunction(
      (v) => document.getElementById('timeline')!.dataset.version === String(v),
      v1.draft_version,
    );
    expect(await page.$eval('#timeline', (el) => el.innerHTML)).not.toBe(timelineBefore);
    expect(await page.textContent('#transcript-note')).toMatch(/Cut 3 words/);
    await page.screenshot({ path: join(ARTIFACTS, 'transcript-2-cut.png') });

    // The run is still selected and all cut, so the button restores; do it from the keyboard.
    expect(await page.textContent('#cut-words')).toBe('Restore');
    await page.focus('#transcript');
    await page.keyboard.press('Home');
    for (let i = 0; i < from; i++) await page.keyboard.press('ArrowRight');
    for (let i = from; i < to; i++) await page.keyboard.press('Shift+ArrowRight');
    expect(await page.$$eval('#transcript [aria-selected="true"]', (e) => e.map((x) => x.id))).toEqual(
      Array.from({ length: to - from + 1 }, (_, i) => `tw-${from + i}`),
    );
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (v) => Number(document.getElementById('transcript')!.dataset.version) > v,
      v1.draft_version,
    );
    expect((await words(page)).some((w) => w.cut || w.struck)).toBe(false);
    const v2 = await state(page);
    expect(v2.draft_version).toBeGreaterThan(v1.draft_version);

    // A stale version is refused (409): the panel reloads and says so, nothing is cut.
    await page.route('**/cut', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown>;
      await route.continue({ postData: JSON.stringify({ ...body, base_version: 1 }) });
    });
    await page.click(`#tw-${from}`);
    await page.click('#cut-words');
    await page.waitForFunction(() =>
      /changed meanwhile/.test(document.getElementById('transcript-note')!.textContent!),
    );
    expect((await state(page)).draft_version).toBe(v2.draft_version);
    await page.unroute('**/cut');

    // Fix a caption word: select "editing", type the correction.
    const e = idx('editing');
    await page.click(`#tw-${e}`);
    expect(await page.inputValue('#fix-text')).toMatch(/^editing$/i);
    await page.fill('#fix-text', 'cutting');
    await page.click('#fix-submit');
    await page.waitForFunction(() => /is now "cutting"/.test(document.getElementById('transcript-note')!.textContent!));
    const v3 = await state(page);
    expect(v3.draft_version).toBeGreaterThan(v2.draft_version);
    expect(v3.captions, ctx()).toMatch(/cutting/);
    expect(v3.captions.toLowerCase()).not.toContain('editing');
    await page.waitForFunction(() => /cutting/.test(document.getElementById('transcript')!.textContent!));
    await page.screenshot({ path: join(ARTIFACTS, 'transcript-3-fixed.png') });
    // Undo (a chat turn) takes the fix back, and the transcript follows it like the timeline.
    await page.click('#undo');
    await page.waitForFunction(() => /editing/.test(document.getElementById('transcript')!.textContent!), undefined, {
      timeout: 60_000,
    });
    expect((await state(page)).captions).toMatch(/editing/);

    // A phone, in Chinese: the panel fits the screen.
    const phoneCtx = await browser.newContext({
      storageState: await page.context().storageState(),
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const phone = await phoneCtx.newPage();
    await phone.goto(page.url());
    await phone.waitForSelector('body[data-ready="true"]');
    await phone.waitForSelector('#transcript .word');
    // A clip still being analysed (the service's answer stood in for once): the estimate shows,
    // then the panel asks again by itself and the words come back.
    let faked = 0;
    await phone.route('**/api/transcript/**', async (route) => {
      if (route.request().method() !== 'GET' || faked++ > 0) return route.continue();
      const pending = [{ media_id: 'm', name: 'words.mp4', status: 'analysing', estimated_ms: 3000, credits: 0 }];
      const data = { draft_version: v3.draft_version, language: 'en', words: [], pending };
      await route.fulfill({ json: { code: 0, message: 'ok', data } });
    });
    await phone.selectOption('#lang', 'zh');
    await phone.waitForFunction(
      () => document.getElementById('transcript-status')!.textContent === '仍在识别（约 3 秒）…',
    );
    await phone.waitForSelector('#transcript .word', { timeout: 15_000 });
    expect(await phone.textContent('#transcript-status')).toBe('');
    // Touch: tap one word, tap another, and the run between them is selected.
    await phone.tap('#tw-1');
    await phone.tap('#tw-3');
    expect(await phone.$$eval('#transcript [aria-selected="true"]', (e) => e.map((x) => x.id))).toEqual([
      'tw-1',
      'tw-2',
      'tw-3',
    ]);
    expect(await phone.textContent('#cut-words')).toBe('剪掉');
    expect(await phone.textContent('#transcript-h')).toBe('文字稿');
    expect(await phone.textContent('label[for="fix-text"]')).toBe('修改字幕文字');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    expect(overflow, 'nothing wider than the phone').toBeLessThanOrEqual(0);
    await phone.locator('#transcript').scrollIntoViewIfNeeded();
    await phone.screenshot({ path: join(ARTIFACTS, 'transcript-4-phone-zh.png') });
    await phoneCtx.close();
    expect(
      logs.filter((l) => l.startsWith('pageerror') || /Content Security Policy/.test(l)),
      ctx(),
    ).toEqual([]);
    await page.close();
  }, 300_000);
});
