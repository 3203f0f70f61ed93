/**
 * Shared by the editor's browser tests: the stack as `npm start` runs it (with the editor built),
 * Debian's headless Chromium through playwright-core (never `playwright install`), and where
 * screenshots and measurements go.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Browser, chromium } from 'playwright-core';
import { REPO_ROOT, type Stack, type StackOptions, startStack } from './stack.ts';

export const exec = promisify(execFile);
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** The stack and a browser; `npm test` builds web/dist in its setup step, this builds it too so a file runs on its own. */
export async function startEditorStack(opts: StackOptions = {}): Promise<{ stack: Stack; browser: Browser }> {
  await exec(process.execPath, [join(REPO_ROOT, 'scripts', 'build-web.mjs')]);
  mkdirSync(ARTIFACTS, { recursive: true });
  const stack = await startStack(opts);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  return { stack, browser };
}
