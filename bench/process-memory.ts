/**
 * bench:long's memory sampling: the peak RSS of every process under a root (workerd, wrangler,
 * engines, speech workers, ffmpeg), by role and phase, read from /proc.
 */
import { readdirSync, readFileSync } from 'node:fs';

export type Role = 'workerd' | 'wrangler' | 'engine' | 'speech worker' | 'ffmpeg' | 'other';

function children(): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      map.set(ppid, [...(map.get(ppid) ?? []), Number(name)]);
    } catch {}
  }
  return map;
}

function roleOf(pid: number): Role {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    if (/workerd/.test(cmd)) return 'workerd';
    if (/asr-worker\/worker\.py/.test(cmd)) return 'speech worker';
    if (/^\S*ffmpeg /.test(cmd) || /\/ffmpeg /.test(cmd)) return 'ffmpeg';
    if (/engine\/src\/main\.ts/.test(cmd)) return 'engine';
    if (/wrangler/.test(cmd)) return 'wrangler';
  } catch {}
  return 'other';
}

function rssKiB(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/**
 * Peak RSS per role and phase: of the role's processes together at one instant (two engines'
 * speech workers, say), and of its largest single process.
 */
export class Sampler {
  private peaks = new Map<string, Map<Role, { sum: number; one: number }>>();
  private phase = 'start';
  private timer: NodeJS.Timeout;
  constructor(
    private readonly root: number,
    sampleMs = 250,
  ) {
    this.timer = setInterval(() => this.sample(), sampleMs);
  }
  setPhase(phase: string) {
    this.phase = phase;
  }
  private sample() {
    const tree = children();
    const pids: number[] = [];
    const walk = (p: number) => {
      for (const c of tree.get(p) ?? []) {
        pids.push(c);
        walk(c);
      }
    };
    walk(this.root);
    const now = new Map<Role, { sum: number; one: number }>();
    for (const pid of pids) {
      const role = roleOf(pid);
      const kib = rssKiB(pid);
      const r = now.get(role) ?? { sum: 0, one: 0 };
      now.set(role, { sum: r.sum + kib, one: Math.max(r.one, kib) });
    }
    const peaks = this.peaks.get(this.phase) ?? new Map<Role, { sum: number; one: number }>();
    for (const [role, r] of now) {
      const p = peaks.get(role) ?? { sum: 0, one: 0 };
      peaks.set(role, { sum: Math.max(p.sum, r.sum), one: Math.max(p.one, r.one) });
    }
    this.peaks.set(this.phase, peaks);
  }
  stop() {
    clearInterval(this.timer);
    return this.peaks;
  }
}
