/** A counting semaphore: at most `size` tasks run at once, the rest wait in order (and can say where). */
export class Slots<L = string> {
  private running: L[] = [];
  private readonly waiting: { label: L; go: () => void }[] = [];

  constructor(readonly size: number) {}

  async run<T>(task: () => Promise<T>, label?: L): Promise<T> {
    const tag = label as L;
    if (this.running.length >= this.size) await new Promise<void>((go) => this.waiting.push({ label: tag, go }));
    this.running.push(tag);
    try {
      return await task();
    } finally {
      this.running.splice(this.running.indexOf(tag), 1);
      this.waiting.shift()?.go();
    }
  }

  /** What runs now, and what waits, first in line at position 1. */
  stats(): { running: L[]; queued: { label: L; position: number }[] } {
    return { running: [...this.running], queued: this.waiting.map((w, i) => ({ label: w.label, position: i + 1 })) };
  }
}
