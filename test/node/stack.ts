/**
 * Starts the whole local stack exactly as `npm start` does (scripts/start.mjs: the Worker under
 * `wrangler dev` plus the media engine), on free ports with throwaway state, and stops it.
 *
 *   const stack = await startStack();
 *   await fetch(`${stack.baseUrl}/health`);
 *   await stack.stop();
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A value from .dev.vars (scripts/setup.sh writes a random SIGNING_SECRET there per checkout). */
export function devVar(name: string): string {
  const text = readFileSync(join(REPO_ROOT, '.dev.vars'), 'utf8');
  const line = text.split('\n').find((l) => l.startsWith(`${name}=`));
  if (!line) throw new Error(`${name} missing from .dev.vars: run npm run setup`);
  return line.slice(name.length + 1).trim();
}

export interface Stack {
  baseUrl: string;
  engineUrl: string;
  /** Every engine started (ENGINE_INSTANCES; the first is engineUrl). */
  engineUrls: string[];
  /** scripts/start.mjs's pid, and the pids of the process groups it started (Worker, engine). */
  pid: number;
  childPids: number[];
  /** Resolves with start.mjs's exit code once it has exited. */
  exited: Promise<number | null>;
  /** Everything the stack printed so far (Worker and engine logs, prefixed). */
  logs(): string;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Extra environment for the Worker and engine (e.g. ENGINE_X264_PRESET). */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
  /** Engines to start (scripts/start.mjs ENGINE_INSTANCES), on consecutive ports; default 1. */
  engineInstances?: number;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function killGroup(pid: number | undefined, sig: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, sig);
  } catch {}
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** The first of `n` consecutive free ports, none of them `avoid`. */
async function freePortRun(n: number, avoid: number): Promise<number> {
  for (;;) {
    const first = await freePort();
    const ports = Array.from({ length: n }, (_, i) => first + i);
    if (ports.includes(avoid) || ports.some((p) => p > 65535)) continue;
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return first;
  }
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const port = await freePort();
  const engineInstances = opts.engineInstances ?? 1;
  const enginePort = await freePortRun(engineInstances, port);
  const stateDir = mkdtempSync(join(tmpdir(), 'openedit-stack-'));
  const readyTimeoutMs = opts.readyTimeoutMs ?? 120_000;

  // Detached: start.mjs leads its own group, so a last-resort kill reaches it whatever happens.
  const child = spawn(process.execPath, [join(REPO_ROOT, 'scripts', 'start.mjs')], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...opts.env,
      PORT: String(port),
      ENGINE_PORT: String(enginePort),
      ENGINE_INSTANCES: String(engineInstances),
      OPENEDIT_STATE_DIR: join(stateDir, 'wrangler'),
      ENGINE_CACHE_DIR: join(stateDir, 'engine-cache'),
      STACK_READY_TIMEOUT_MS: String(readyTimeoutMs),
      STACK_PARENT_PID: String(process.pid),
    },
  });
  const exitedPromise = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let output = '';
  let childPids: number[] = [];
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (c: string) => {
    output += c;
  });

  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the stack did not report ready within ${readyTimeoutMs} ms`)),
      readyTimeoutMs + 10_000,
    );
    child.stdout!.on('data', (c: string) => {
      output += c;
      const m = /^ready: .*pids=([\d,]+)/m.exec(output);
      if (m) {
        childPids = m[1]!.split(',').map(Number);
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`scripts/start.mjs exited (${signal ?? `code ${code}`}) before the stack was healthy`));
    });
  });

  const stop = async () => {
    if (!exited(child)) {
      child.kill('SIGTERM');
      const deadline = Date.now() + 10_000;
      while (!exited(child) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    }
    for (const pid of [...childPids, child.pid]) killGroup(pid, 'SIGKILL');
    rmSync(stateDir, { recursive: true, force: true });
  };

  try {
    await ready;
  } catch (err) {
    await stop();
    const tail = output.split('\n').slice(-40).join('\n');
    throw new Error(`${(err as Error).message}. Last output of npm start:\n${tail}`);
  }
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    engineUrl: `http://127.0.0.1:${enginePort}`,
    engineUrls: Array.from({ length: engineInstances }, (_, i) => `http://127.0.0.1:${enginePort + i}`),
    pid: child.pid!,
    childPids,
    exited: exitedPromise,
    logs: () => output,
    stop,
  };
}
