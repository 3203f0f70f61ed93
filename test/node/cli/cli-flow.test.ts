/** The CLI run as a user runs it (a child process of bin.mjs) against a stand-in of the public API. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOptions, type FakeService, startFakeService } from './fake-service.ts';

const BIN = join(import.meta.dirname, '../../../cli/bin.mjs');
let dir: string;
let fake: FakeService | null = null;

function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function serve(opts: FakeOptions = {}) {
  fake = await startFakeService(opts);
  return fake.url;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'openedit-cli-'));
  writeFileSync(join(dir, 'talk.mp4'), Buffer.alloc(300_000, 7));
});
afterEach(async () => {
  await fake?.close();
  fake = null;
  rmSync(dir, { recursive: true, force: true });
});

describe('openedit edit', () => {
  it('uploads raw, prints the reply, renders, downloads MP4 and SRT and prints the share link', async () => {
    const url = await serve();
    const r = await run(['edit', 'talk.mp4', 'trim the pauses, add captions', '-o', 'out.mp4', '--base-url', url]);
    expect(r.stderr).not.toMatch(/openedit: (error|cannot)/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Removed 2 pauses.');
    expect(r.stdout).not.toContain('trim_pauses');
    expect(r.stdout).toContain(`Share: ${url}/s/share1`);
    expect(r.stderr).toMatch(/upload talk\.mp4 .*100% 300 KB\/300 KB/);
    expect(r.stderr).toMatch(/render .*100% done/);
    expect(readFileSync(join(dir, 'out.mp4'), 'utf8')).toBe('MP4DATA0123');
    expect(existsSync(join(dir, 'out.srt'))).toBe(true);
    expect(fake!.uploads).toEqual([{ route: 'raw', contentLength: 300_000, bytes: 300_000, fileName: 'talk.mp4' }]);
    expect(fake!.messages).toEqual(['trim the pauses, add captions']);
    expect((fake!.renders[0] as { id: string; sessionId: string }).id).toMatch(/^render_\d+$/);
    expect(fake!.renders[0]).toMatchObject({ sessionId: 'ses_1', output: { format: 'mp4', quality: 'high' } });
  });

  it('falls back to multipart when there is no raw route, and prints JSON with --json and tools with --verbose', async () => {
    const url = await serve({ noRawRoute: true });
    writeFileSync(join(dir, 'b-roll é.mov'), Buffer.alloc(1000, 1));
    const r = await run([
      'edit',
      'talk.mp4',
      'b-roll é.mov',
      '-m',
      'trim',
      '--json',
      '--verbose',
      '-q',
      '--base-url',
      url,
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      session_id: 'ses_1',
      reply: expect.stringContaining('Removed'),
      render: { share_url: `${url}/s/share1` },
    });
    expect(out.render.output).toBe(join(dir, 'talk.edited.mp4'));
    expect(fake!.uploads[0]).toMatchObject({
      route: 'multipart',
      fileName: 'talk.mp4',
      bytes: fake!.uploads[0]!.contentLength,
    });
    expect(fake!.uploads[0]!.bytes).toBeGreaterThan(300_000);
    expect(fake!.uploads.map((u) => u.fileName)).toEqual(['talk.mp4', 'b-roll é.mov']);
    expect(out.media).toHaveLength(2);
  });

  it('downloads the render the agent started in the turn instead of starting a second one', async () => {
    const url = await serve({ agentExports: true });
    const r = await run(['edit', 'talk.mp4', 'trim and export', '-o', 'out.mp4', '--base-url', url]);
    expect(r.code).toBe(0);
    expect(fake!.renders).toEqual([]);
    expect(r.stdout).toContain('Export started.\nRemoved 2 pauses.');
    expect(r.stdout).not.toContain('Rendering…');
    expect(r.stderr).toContain('Rendering… 50%');
    expect(readFileSync(join(dir, 'out.mp4'), 'utf8')).toBe('MP4DATA0123');
    expect(r.stdout).toContain('Share: ');
  });

  it('re-acquires a token once when the service answers 1001, and caches it', async () => {
    const url = await serve({ expireFirstToken: true });
    const r = await run(['credits', '--base-url', url]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('100 available');
    expect(fake!.mints).toBe(2);
    const cache = JSON.parse(readFileSync(join(dir, 'config', 'openedit', 'token.json'), 'utf8'));
    expect(cache.tokens[url].token).toMatch(/^u_fake\.2\./);
    await run(['credits', '--base-url', url]);
    expect(fake!.mints).toBe(2);
  });

  it('reports an API error as one line with its code and exit code 2', async () => {
    const url = await serve({ credits: 0 });
    const r = await run(['edit', 'talk.mp4', 'trim', '-q', '--base-url', url]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(
      'openedit: error 2001: Out of credits — register to get more credits: http://fake/register?bind=u_fake',
    );
  });

  it('exits 4 when the render fails', async () => {
    const url = await serve({ renderFails: true });
    const r = await run(['edit', 'talk.mp4', 'trim', '-q', '--base-url', url]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('failed: ffmpeg exited 1');
  });

  it('exits 3 when the service is unreachable and 1 on usage errors', async () => {
    expect((await run(['credits', '--base-url', 'http://127.0.0.1:9'])).code).toBe(3);
    expect((await run(['edit', 'missing.mp4', 'trim'])).code).toBe(1);
  });

  it('falls back to its own token when the NEMO_TOKEN of another service is rejected', async () => {
    const url = await serve();
    const r = await run(['credits', '--json', '--base-url', url], {
      NEMO_TOKEN: 'nmv_usr_from_the_hosted_service_xxxxxxxxxxxxxxxxxx',
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('NEMO_TOKEN was rejected');
    expect(JSON.parse(r.stdout)).toEqual({ available: 100, frozen: 0, total: 100 });
    expect(fake!.mints).toBe(1);
  });

  it('uses the token from OPENEDIT_TOKEN without minting one', async () => {
    const url = await serve();
    const r = await run(['credits', '--base-url', url], {
      OPENEDIT_TOKEN: 'u_bogus.token.from.env.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error 1001');
    expect(fake!.mints).toBe(0);
  });
});
