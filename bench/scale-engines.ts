/** bench:scale's engine processes: started as `npm run engine` does, called signed; a job's wall and CPU time. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { signEngineRequest } from '../src/lib/engine-auth.ts';

const SECRET = 'bench-scale-secret-0123456789abcdef0123456789';
const root = join(import.meta.dirname, '..');

export interface Engine {
  url: string;
  pid: number;
  stop(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** One engine process (node + tsx, as `npm run engine`), two render slots (a chunk and the audio part can share one). */
export async function startEngine(origin: string, cacheDir: string): Promise<Engine> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'engine/src/main.ts')], {
    env: {
      ...process.env,
      ENGINE_HOST: '127.0.0.1',
      ENGINE_PORT: String(port),
      ENGINE_SECRET: SECRET,
      ENGINE_WORKER_ORIGIN: origin,
      ENGINE_CACHE_DIR: cacheDir,
      ENGINE_MAX_RENDERS: '2',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    const ok = await call(url, 'GET', '/health').then(
      () => true,
      () => false,
    );
    if (ok) return { url, pid: child.pid!, stop: () => child.kill('SIGTERM') };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('engine did not start');
}

export async function call(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const text = body === undefined ? '' : JSON.stringify(body);
  const headers = await signEngineRequest(SECRET, method, path, text);
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : text,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** CPU (user + system, ms) of an engine's finished children (ffmpeg, ffprobe), from /proc. */
export function childCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10; // cutime + cstime, 10 ms clock ticks
}

/** Starts a job, waits for it; its CPU is what the engine's children used since the engine's last job ended. */
export async function job(engine: Engine, body: Record<string, unknown>, cpuMark: Map<number, number>) {
  const t0 = performance.now();
  const { job_id } = (await call(engine.url, 'POST', '/render', body)) as { job_id: string };
  for (;;) {
    const state = (await call(engine.url, 'GET', `/jobs/${job_id}`)) as { status: string; error?: string };
    if (state.status === 'done') break;
    if (state.status === 'failed' || state.status === 'cancelled') throw new Error(`${state.status}: ${state.error}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const now = childCpuMs(engine.pid);
  const cpuMs = now - (cpuMark.get(engine.pid) ?? now);
  cpuMark.set(engine.pid, now);
  return { wallMs: performance.now() - t0, cpuMs };
}
