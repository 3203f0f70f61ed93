/** Analysis results on disk, one JSON file per (content hash, variant); concurrent requests share one run. */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export class AnalysisCache<T> {
  private readonly inflight = new Map<string, Promise<T>>();

  constructor(private readonly dir: string) {}

  async get(key: string): Promise<T | null> {
    try {
      return JSON.parse(await readFile(this.file(key), 'utf8')) as T;
    } catch {
      return null;
    }
  }

  async put(key: string, value: T): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    // Write then rename so a reader never sees half a file.
    const tmp = `${this.file(key)}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, JSON.stringify(value));
    await rename(tmp, this.file(key));
  }

  /** Returns [value, cached]; computes at most once per key at a time. */
  async getOrCompute(key: string, compute: () => Promise<T>): Promise<[T, boolean]> {
    const hit = await this.get(key);
    if (hit) return [hit, true];
    let p = this.inflight.get(key);
    if (!p) {
      p = compute().then(async (v) => {
        await this.put(key, v);
        return v;
      });
      this.inflight.set(key, p);
      p.finally(() => this.inflight.delete(key)).catch(() => {});
    }
    return [await p, false];
  }

  private file(key: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(key)) throw new Error('bad cache key');
    return join(this.dir, `${key}.json`);
  }
}
