#!/usr/bin/env node
/**
 * Peak memory of the workerd process under `wrangler dev` while a large file is uploaded three
 * ways (multipart/form-data, raw PUT, JSON {url}), plus two refusals through the dev proxy.
 *
 *   npm exec -- node bench/upload-memory.mjs            # 400 MB (default)
 *   UPLOAD_MB=300 PORT=8797 npm exec -- node bench/upload-memory.mjs
 *
 * Starts its own dev server (ENGINE_URL empty, state in a temp dir), samples the RSS of every
 * workerd process under it with `ps` every 100 ms, and stops it at the end. Needs curl and ffmpeg.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { descendants, rssMiB, SAMPLE_MS, sampler } from './lib/rss.mjs';

const run = promisify(execFile);
const MB = 1_000_000;
const UPLOAD_BYTES = Number(process.env.UPLOAD_MB ?? 400) * MB;
const PORT = Number(process.env.PORT ?? 8797);
const BASE = `http://127.0.0.1:${PORT}`;
const REFUSAL_TRIES = 5;
/** This checkout's secret from .dev.vars (scripts/setup.sh); the bench signs a blob PUT URL for the control run. */
const SIGNING_SECRET =
  process.env.SIGNING_SECRET ??
  /^SIGNING_SECRET=(.*)$/m.exec(readFileSync(new URL('../.dev.vars', import.meta.url), 'utf8'))?.[1] ??
  '';
const dir = mkdtempSync(join(tmpdir(), 'upload-bench-'));

/** A real ffmpeg MP4 (moov first) followed by a top-level `free` box of random bytes: valid, and large. */
async function makeMp4(path, totalBytes) {
  const small = join(dir, 'small.mp4');
  await run('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc=s=320x240:d=2',
    '-f',
    'lavfi',
    '-i',
    'sine=d=2',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-c:a',
    'aac',
    '-shortest',
    '-movflags',
    '+faststart',
    small,
  ]);
  const smallBytes = statSync(small).size;
  const freeBytes = totalBytes - smallBytes;
  const header = Buffer.alloc(8);
  header.writeUInt32BE(freeBytes);
  header.write('free', 4);
  const out = createWriteStream(path);
  await pipeline(createReadStream(small), out, { end: false });
  out.write(header);
  await pipeline(createReadStream('/dev/urandom', { end: freeBytes - 8 - 1 }), out);
}

async function sha256File(path) {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

async function curl(args) {
  const t = Date.now();
  const { stdout } = await run('curl', ['-sS', '--max-time', '600', ...args], { maxBuffer: 1 << 20 });
  return { ms: Date.now() - t, body: JSON.parse(stdout) };
}

async function waitForHealth(child) {
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null) throw new Error('wrangler dev exited early');
    try {
      if ((await fetch(`${BASE}/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('wrangler dev did not become healthy');
}

/** Sends a raw PUT that declares `declared` bytes but stops after `sendBytes`: is the refusal delivered? */
function declaredTooLarge(token, sid, declared, sendBytes) {
  return new Promise((resolve) => {
    const t = Date.now();
    const req = request(`${BASE}/api/upload-video/nemo_agent/me/${sid}/raw`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-length': declared, 'x-file-name': 'huge.mp4' },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        req.destroy();
        resolve({ ms: Date.now() - t, status: res.statusCode, body: text.slice(0, 200) });
      });
    });
    req.on('error', (err) => resolve({ ms: Date.now() - t, error: err.code ?? String(err) }));
    req.write(Buffer.alloc(sendBytes));
  });
}

/** Starts `wrangler dev` (no engine, state in a temp dir), gives `fn` a token and a session, then stops it. */
async function withDevServer(fn) {
  const state = mkdtempSync(join(dir, 'state-'));
  // Runs the bundle made once at the start, not the live tree: edits by others must not restart it mid-upload.
  const args = [
    bundle,
    '--config',
    'wrangler.toml',
    '--no-bundle',
    '--var',
    'ENGINE_URL:',
    '--persist-to',
    state,
    '--inspector-port',
    String(PORT + 1000),
  ];
  const dev = spawn('npm', ['run', 'dev', '--', ...args], {
    env: { ...process.env, PORT: String(PORT) },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  try {
    await waitForHealth(dev);
    const workerd = (await descendants(dev.pid)).filter((p) => p.comm.includes('workerd')).map((p) => p.pid);
    if (!workerd.length) throw new Error('no workerd process found under wrangler dev');
    const mint = await (
      await fetch(`${BASE}/api/auth/anonymous-token`, {
        method: 'POST',
        headers: { 'x-client-id': `bench-${Date.now()}` },
      })
    ).json();
    const token = mint.data.token;
    const session = await (
      await fetch(`${BASE}/api/tasks/me/with-session/nemo_agent`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      })
    ).json();
    await fn({ workerd, token, sid: session.data.session_id });
  } finally {
    try {
      process.kill(-dev.pid, 'SIGTERM'); // the process group we started: npm, wrangler, workerd
    } catch {}
    while (dev.exitCode === null && dev.signalCode === null) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 500));
    rmSync(state, { recursive: true, force: true });
  }
}

const bundleDir = join(dir, 'bundle');
const bundle = join(bundleDir, 'index.js');

async function main() {
  await run('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', bundleDir], {
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  const file = join(dir, 'big.mp4');
  const junk = join(dir, 'junk.mp4');
  console.error(`generating ${UPLOAD_BYTES / MB} MB test files in ${dir} ...`);
  await makeMp4(file, UPLOAD_BYTES);
  await pipeline(createReadStream('/dev/urandom', { end: UPLOAD_BYTES - 1 }), createWriteStream(junk));
  const size = statSync(file).size;
  const expectedHash = await sha256File(file);

  const fileServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': size });
    createReadStream(file).pipe(res);
  }).listen(0, '127.0.0.1');
  await new Promise((r) => fileServer.once('listening', r));
  const fileUrl = `http://127.0.0.1:${fileServer.address().port}/clips/big.mp4`;

  const results = { upload_bytes: size, sample_ms: SAMPLE_MS, expected_sha256: expectedHash, runs: [] };
  const cases = [
    ['multipart/form-data (curl -F)', (url) => ['-F', `file=@${file};type=video/mp4`, url]],
    ['raw PUT (curl -T)', (url) => ['-H', 'x-file-name: big.mp4', '-T', file, `${url}/raw`]],
    [
      'JSON {url} (local http server, Content-Length)',
      (url) => ['-H', 'content-type: application/json', '--data', JSON.stringify({ url: fileUrl }), url],
    ],
    ['refused: random bytes named .mp4, multipart (body drained)', (url) => ['-F', `file=@${junk}`, url]],
    [
      'refused: random bytes named .mp4, raw PUT (body drained)',
      (url) => ['-H', 'x-file-name: junk.mp4', '-T', junk, `${url}/raw`],
    ],
  ];
  try {
    // A fresh dev server per case: RSS the allocator keeps from one case would hide the next one's peak.
    for (const [name, args] of cases) {
      await withDevServer(async ({ workerd, token, sid }) => {
        const url = `${BASE}/api/upload-video/nemo_agent/me/${sid}`;
        const before = await rssMiB(workerd);
        const s = sampler(workerd);
        const r = await curl(['-H', `authorization: Bearer ${token}`, ...args(url)]).catch((err) => ({
          ms: null,
          body: { code: 'curl failed', message: String(err.stderr ?? err) },
        }));
        const { peakMiB, samples } = await s.stop();
        const m = r.body.data?.media?.[0];
        const row = {
          name,
          code: r.body.code,
          message: r.body.message,
          size: m?.size ?? null,
          seconds: r.ms && r.ms / 1000,
        };
        results.runs.push({
          ...row,
          rss_before_mib: before,
          rss_peak_mib: peakMiB,
          rss_growth_mib: +(peakMiB - before).toFixed(1),
          samples,
        });
        console.error(JSON.stringify(results.runs.at(-1)));
      });
    }
    // Control: the same bytes through the signed blob PUT route, a bare body → FixedLengthStream → R2.put
    // with no JavaScript touching the chunks. What this grows by is workerd plus local R2, not the upload code.
    await withDevServer(async ({ workerd }) => {
      const key = `bench/control-${Date.now()}.mp4`;
      const exp = Math.floor(Date.now() / 1000) + 3600;
      const sig = createHmac('sha256', SIGNING_SECRET).update(`PUT\n${key}\n${exp}`).digest('hex');
      const before = await rssMiB(workerd);
      const s = sampler(workerd);
      const r = await curl([
        '-H',
        'content-type: video/mp4',
        '-T',
        file,
        `${BASE}/api/blob/${key}?m=PUT&exp=${exp}&sig=${sig}`,
      ]);
      const { peakMiB, samples } = await s.stop();
      const row = {
        name: 'control: signed /api/blob PUT, no inspection',
        code: r.body.code,
        size: r.body.data?.size ?? null,
        seconds: r.ms / 1000,
      };
      results.runs.push({
        ...row,
        rss_before_mib: before,
        rss_peak_mib: peakMiB,
        rss_growth_mib: +(peakMiB - before).toFixed(1),
        samples,
      });
      console.error(JSON.stringify(results.runs.at(-1)));
    });
    // Refusing a declared-oversize body without reading it, as curl sends it (Expect: 100-continue) and as a
    // client that pushes the body straight away does.
    await withDevServer(async ({ token, sid }) => {
      const sparse = join(dir, 'sparse-600MiB.mp4');
      await run('truncate', ['-s', String(600 * 1024 * 1024), sparse]);
      const url = `${BASE}/api/upload-video/nemo_agent/me/${sid}/raw`;
      const tries = [];
      for (let i = 0; i < REFUSAL_TRIES; i++) {
        const args = ['-H', `authorization: Bearer ${token}`, '-H', 'x-file-name: huge.mp4', '-T', sparse, url];
        const r = await curl(args).catch((err) => ({ body: { code: `curl: ${String(err.stderr ?? err).trim()}` } }));
        const raw = await declaredTooLarge(token, sid, 600 * 1024 * 1024, 4 * 1024 * 1024);
        tries.push({ curl: r.body.code, no_expect: raw.status ?? raw.error });
      }
      const count = (key) => tries.filter((t) => t[key] === 4002 || t[key] === 413).length;
      results.declared_too_large = {
        tries,
        curl_got_413: count('curl'),
        no_expect_got_413: count('no_expect'),
        of: REFUSAL_TRIES,
      };
      console.error(JSON.stringify({ declared_too_large: results.declared_too_large }));
    });
  } finally {
    fileServer.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify(results, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
