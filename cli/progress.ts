/** Progress bars on stderr: bytes, rate and ETA for transfers; percent and ETA for renders. */

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let i = 0;
  while (value >= 1000 && i < units.length - 1) {
    value /= 1000;
    i++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[i]}`;
}

export function formatRate(bytesPerS: number): string {
  return `${formatBytes(bytesPerS)}/s`;
}

/** `7s`, `1m05s`, `2h03m`; `--` when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function formatBar(fraction: number, width = 24): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}]`;
}

const pct = (f: number) => `${String(Math.floor(Math.min(1, Math.max(0, f)) * 100)).padStart(3)}%`;

/** ETA from the average rate so far; unknown until something moved. */
export function etaSeconds(fraction: number, elapsedMs: number): number {
  if (fraction <= 0 || elapsedMs <= 0) return Number.NaN;
  if (fraction >= 1) return 0;
  return ((elapsedMs / 1000) * (1 - fraction)) / fraction;
}

/** `clip.mp4 [######------]  45% 12.3 MB/27.0 MB 8.1 MB/s ETA 2s` */
export function formatTransferLine(label: string, doneBytes: number, totalBytes: number, elapsedMs: number): string {
  const fraction = totalBytes > 0 ? doneBytes / totalBytes : 0;
  const rate = elapsedMs > 0 ? doneBytes / (elapsedMs / 1000) : 0;
  const eta =
    fraction >= 1 ? `in ${formatDuration(elapsedMs / 1000)}` : `ETA ${formatDuration(etaSeconds(fraction, elapsedMs))}`;
  return `${label} ${formatBar(fraction)} ${pct(fraction)} ${formatBytes(doneBytes)}/${formatBytes(totalBytes)} ${formatRate(rate)} ${eta}`;
}

/** `render [############------]  60% rendering 12s ETA 8s` */
export function formatFractionLine(label: string, fraction: number, state: string, elapsedMs: number): string {
  const eta = fraction >= 1 ? '' : ` ETA ${formatDuration(etaSeconds(fraction, elapsedMs))}`;
  return `${label} ${formatBar(fraction)} ${pct(fraction)} ${state} ${formatDuration(elapsedMs / 1000)}${eta}`;
}

export interface BarStream {
  write(chunk: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

/**
 * Redraws one line in place on a terminal (at most every 100 ms); elsewhere (CI logs, pipes)
 * prints a line at each quarter so logs stay short.
 */
export class ProgressBar {
  private readonly startMs = Date.now();
  private lastDrawMs = 0;
  private lastQuarter = -1;
  private lastLine = '';

  constructor(
    private readonly format: (elapsedMs: number) => { line: string; fraction: number },
    private readonly stream: BarStream = process.stderr,
    private readonly enabled = true,
  ) {}

  update(force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    const { line, fraction } = this.format(now - this.startMs);
    if (this.stream.isTTY) {
      if (!force && now - this.lastDrawMs < 100) return;
      this.lastDrawMs = now;
      const width = this.stream.columns ?? 100;
      this.stream.write(`\r${line.slice(0, width - 1).padEnd(Math.min(width - 1, this.lastLine.length))}`);
      this.lastLine = line;
      return;
    }
    // The last line (100%, with the total time) is done()'s to print.
    const quarter = Math.floor(Math.min(1, Math.max(0, fraction)) * 4);
    if ((quarter > this.lastQuarter && quarter >= 1 && fraction < 1) || force) {
      this.lastQuarter = quarter;
      if (line !== this.lastLine) this.stream.write(`${line}\n`);
      this.lastLine = line;
    }
  }

  done(): void {
    if (!this.enabled) return;
    this.update(true);
    if (this.stream.isTTY) this.stream.write('\n');
  }
}

export function transferBar(
  label: string,
  totalBytes: number,
  getDone: () => number,
  stream?: BarStream,
  enabled?: boolean,
) {
  return new ProgressBar(
    (elapsedMs) => ({
      line: formatTransferLine(label, getDone(), totalBytes, elapsedMs),
      fraction: totalBytes > 0 ? getDone() / totalBytes : 0,
    }),
    stream,
    enabled,
  );
}
