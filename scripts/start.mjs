#!/usr/bin/env node
// `npm start`: the whole local stack with one command. The Worker runs under `wrangler dev`
// (local Durable Objects, R2, Workflows), the media engine under tsx. Waits until both answer
// /health, prints the URL, and on Ctrl-C / SIGTERM stops both process groups (no orphans).
//
// Environment: PORT (Worker, default 8787), ENGINE_PORT (default 8788), ENGINE_INSTANCES (engines
// to start, default 1, on consecutive ports from ENGINE_PORT; the Worker gets them as ENGINE_URLS),
// OPENEDIT_STATE_DIR (wrangler --persist-to; default .wrangler/state), STACK_READY_TIMEOUT_MS,
// CHAT_HEARTBEAT_MS (the Worker's chat heartbeat interval, default 10000).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { devVars, engineSecretFor } from './dev-vars.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const STOP_GRACE_MS = 5000;

// wrangler needs Node >= 22.12. `npm start` runs us on the node@22 dev dependency already; a bare
// `node scripts/start.mjs` on an older system Node still gets it for the children.
const [major, minor] = process.versions.node.split('.').map(Number);
const nodeBin =
  major > 22 || (major === 22 && minor >= 12) || !existsSync(bin('node')) ? process.execPath : bin('node');

const port = Number(process.env.PORT || 8787);
const enginePort = Number(process.env.ENGINE_PORT || 8788);
const readyTimeoutMs = Number(process.env.STACK_READY_TIMEOUT_MS || 90_000);
const workerUrl = `http://127.0.0.1:${port}`;
const engineInstances = Number(process.env.ENGINE_INSTANCES || 1);
if (!Number.isInteger(engineInstances) || engineInstances < 1 || engineInstances > 16) {
  process.stderr.write(
    `[start] ENGINE_INSTANCES must be a whole number from 1 to 16 (got ${process.env.ENGINE_INSTANCES})\n`,
  );
  process.exit(1);
}
const enginePorts = Array.from({ length: engineInstances }, (_, i) => enginePort + i);
const engineUrls = enginePorts.map((p) => `http://127.0.0.1:${p}`);
const engineUrl = engineUrls[0];

const log = (line) => process.stderr.write(`[start] ${line}\n`);

function portFree(p) {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(p, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port: p } = srv.address();
      srv.close(() => resolve(p));
    });
  });
}

const signingSecret = devVars(root).SIGNING_SECRET ?? '';
const engineSecret = process.env.ENGINE_SECRET || engineSecretFor(signingSecret);

// Children get Node 22 (the one running this script) first on PATH, so their own `node` children match.
const childEnv = {
  ...process.env,
  PATH: [dirname(nodeBin), join(root, 'node_modules', '.bin'), process.env.PATH].join(':'),
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  ENGINE_HOST: '127.0.0.1',
  ENGINE_SECRET: engineSecret,
  // The only origin whose /api/blob/ URLs the engine reads and writes (PUBLIC_BASE_URL below).
  ENGINE_WORKER_ORIGIN: workerUrl,
  FORCE_COLOR: '0',
};

/** @type {{name: string, child: import('node:child_process').ChildProcess, exited: boolean, tail: string[]}[]} */
const procs = [];

// The engine is restarted when it dies (a crash, the OOM killer): the Worker and its state stay up,
// and running renders recover (the workflow sees the job gone and starts it again). Five deaths
// within a minute (per engine) means it cannot start at all: then the stack stops with its last output.
const RESTART_LIMIT = 5;
const RESTART_WINDOW_MS = 60_000;
const RESTART_DELAY_MS = 1000;
/** @type {Map<string, number[]>} */
const restartTimesByName = new Map();

function launch(name, args, opts = { restart: false, env: {} }) {
  // Each child leads its own process group, so one signal reaches wrangler's workerd and esbuild too.
  const child = spawn(nodeBin, args, {
    cwd: root,
    env: { ...childEnv, ...opts.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc = { name, child, exited: false, tail: [] };
  const relay = (stream) => {
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      buf += chunk;
      const lines = buf.split('\n');
      buf = lines.pop();
      for (const line of lines) {
        proc.tail.push(line);
        if (proc.tail.length > 40) proc.tail.shift();
        process.stderr.write(`[${name}] ${line}\n`);
      }
    });
  };
  relay(child.stdout);
  relay(child.stderr);
  child.on('exit', (code, signal) => {
    proc.exited = true;
    if (stopping) return;
    const how = signal ?? `code ${code}`;
    if (opts.restart) {
      const restartTimes = restartTimesByName.get(name) ?? [];
      restartTimesByName.set(name, restartTimes);
      const now = Date.now();
      restartTimes.push(now);
      while (restartTimes[0] < now - RESTART_WINDOW_MS) restartTimes.shift();
      if (restartTimes.length <= RESTART_LIMIT) {
        log(`${name} exited (${how}); restarting it in ${RESTART_DELAY_MS} ms, the Worker stays up`);
        // Whatever the dead process left in its group (an ffmpeg mid-encode) goes with it.
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
        setTimeout(() => {
          if (stopping) return;
          procs.splice(procs.indexOf(proc), 1);
          launch(name, args, opts);
        }, RESTART_DELAY_MS);
        return;
      }
      log(`${name} exited ${restartTimes.length} times within a minute (${how}); stopping the stack`);
    } else {
      log(`${name} exited (${how}); stopping the stack`);
    }
    void stop(1);
  });
  procs.push(proc);
  log(`${name} pid ${child.pid}`);
  return proc;
}

function signalGroup(proc, sig) {
  if (proc.exited) return;
  try {
    process.kill(-proc.child.pid, sig);
  } catch {
    try {
      proc.child.kill(sig);
    } catch {}
  }
}

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const p of procs) signalGroup(p, 'SIGTERM');
  const deadline = Date.now() + STOP_GRACE_MS;
  while (procs.some((p) => !p.exited) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  // wrangler can leave workerd behind when it dies first: the group kill takes the whole tree.
  for (const p of procs) {
    try {
      process.kill(-p.child.pid, 'SIGKILL');
    } catch {}
  }
  log('stopped');
  process.exit(code);
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => void stop(0));
// Started by a test harness (test/node/stack.ts): go down with it even if it dies without stopping us.
const parentPid = Number(process.env.STACK_PARENT_PID || 0);
if (parentPid) {
  setInterval(() => {
    try {
      process.kill(parentPid, 0);
    } catch {
      log(`parent ${parentPid} is gone`);
      void stop(0);
    }
  }, 1000).unref();
}

process.on('exit', () => {
  for (const p of procs) {
    try {
      process.kill(-p.child.pid, 'SIGKILL');
    } catch {}
  }
});

async function healthy(url) {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

async function waitHealthy(urls) {
  const deadline = Date.now() + readyTimeoutMs;
  const pending = new Set(urls);
  while (pending.size > 0) {
    if (stopping) return false;
    if (Date.now() > deadline) return false;
    for (const url of [...pending]) if (await healthy(url)) pending.delete(url);
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 300));
  }
  return true;
}

async function main() {
  for (const [what, p] of [['PORT', port], ...enginePorts.map((p) => ['ENGINE_PORT', p])]) {
    if (!(await portFree(p))) {
      log(`port ${p} is already in use (another \`npm start\`?): stop it or set ${what}=<free port>`);
      process.exit(1);
    }
  }
  if (!signingSecret) {
    log('no SIGNING_SECRET in .dev.vars: run `npm run setup` (it writes a random one), or `npm start`');
    process.exit(1);
  }
  const inspectorPort = await freePort();
  const wranglerArgs = [
    bin('wrangler'),
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--inspector-port',
    String(inspectorPort),
    '--show-interactive-dev-session=false',
    '--var',
    `ENGINE_URL:${engineUrl}`,
    '--var',
    `ENGINE_URLS:${engineUrls.join(',')}`,
    '--var',
    `PUBLIC_BASE_URL:${workerUrl}`,
  ];
  if (process.env.OPENEDIT_STATE_DIR) wranglerArgs.push('--persist-to', process.env.OPENEDIT_STATE_DIR);
  // Local end-to-end tests that receive webhooks on 127.0.0.1 (never set this in production).
  if (process.env.ALLOW_PRIVATE_OUTBOUND === '1') wranglerArgs.push('--var', 'ALLOW_PRIVATE_OUTBOUND:1');
  // The chat's heartbeat interval (docs/chat.md, Events); tests shorten it to see heartbeats quickly.
  if (process.env.CHAT_HEARTBEAT_MS) wranglerArgs.push('--var', `CHAT_HEARTBEAT_MS:${process.env.CHAT_HEARTBEAT_MS}`);
  // From how long a draft renders in chunks on several engines (docs/rendering.md); tests lower it.
  if (process.env.CHUNK_RENDER_MIN_MS)
    wranglerArgs.push('--var', `CHUNK_RENDER_MIN_MS:${process.env.CHUNK_RENDER_MIN_MS}`);

  // Engines share the analysis cache directory: it writes each entry to a temporary file and renames
  // it into place (engine/src/analyse/cache.ts), so two engines never read half an entry.
  enginePorts.forEach((p, i) => {
    const name = engineInstances === 1 ? 'engine' : `engine-${i + 1}`;
    launch(name, [bin('tsx'), join(root, 'engine', 'src', 'main.ts')], {
      restart: true,
      env: { ENGINE_PORT: String(p) },
    });
  });
  launch('worker', wranglerArgs, { restart: false, env: {} });

  const startedMs = Date.now();
  if (!(await waitHealthy([...engineUrls, workerUrl]))) {
    if (stopping) return;
    log(`not healthy after ${Math.round(readyTimeoutMs / 1000)} s; last output:`);
    for (const p of procs) for (const line of p.tail.slice(-10)) process.stderr.write(`  [${p.name}] ${line}\n`);
    await stop(1);
    return;
  }
  const pids = procs.map((p) => p.child.pid).join(',');
  // Machine-readable line (test/node/stack.ts waits for it); keep its shape.
  process.stdout.write(
    `ready: worker=${workerUrl} engine=${engineUrl} engines=${engineUrls.join(',')} pids=${pids} in ${Date.now() - startedMs}ms\n`,
  );
  process.stdout.write(
    `\nOpenEdit is running at ${workerUrl}  (engine${engineInstances > 1 ? 's' : ''} ${engineUrls.join(', ')}, API docs ${workerUrl}/openapi.json)\n` +
      `Open ${workerUrl}/ in a browser to edit, or try the CLI: npx openedit edit clip.mp4 "trim the pauses, add captions" -o out.mp4\n` +
      'Press Ctrl-C to stop.\n\n',
  );
}

void main();
