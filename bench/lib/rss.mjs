/** Process memory sampling for benchmarks: RSS of a process tree, read with `ps`. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const SAMPLE_MS = 100;

const sumKiB = (stdout) =>
  stdout
    .trim()
    .split('\n')
    .reduce((n, l) => n + Number(l.trim() || 0), 0);

export async function descendants(pid) {
  const { stdout } = await run('ps', ['-eo', 'pid=,ppid=,comm=']);
  const rows = stdout
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/));
  const found = [];
  const walk = (p) => {
    for (const [child, parent, comm] of rows) {
      if (parent === String(p)) {
        found.push({ pid: Number(child), comm });
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

/** Samples RSS (KiB, as ps reports it) of the given pids every SAMPLE_MS until stopped. */
export function sampler(pids) {
  let peakKiB = 0;
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const t = Date.now();
      try {
        const { stdout } = await run('ps', ['-o', 'rss=', '-p', pids.join(',')]);
        peakKiB = Math.max(peakKiB, sumKiB(stdout));
        samples++;
      } catch {}
      await new Promise((r) => setTimeout(r, Math.max(0, SAMPLE_MS - (Date.now() - t))));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return { peakMiB: +(peakKiB / 1024).toFixed(1), samples };
    },
  };
}

export async function rssMiB(pids) {
  const { stdout } = await run('ps', ['-o', 'rss=', '-p', pids.join(',')]);
  return +(sumKiB(stdout) / 1024).toFixed(1);
}
