import { describe, expect, it } from 'vitest';
import {
  etaSeconds,
  formatBar,
  formatBytes,
  formatDuration,
  formatFractionLine,
  formatTransferLine,
  ProgressBar,
} from '../../../cli/progress.ts';

describe('progress formatting', () => {
  it('formats bytes in decimal units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1500)).toBe('1.5 KB');
    expect(formatBytes(12_345_678)).toBe('12.3 MB');
    expect(formatBytes(250_000_000)).toBe('250 MB');
    expect(formatBytes(1_200_000_000)).toBe('1.2 GB');
  });

  it('formats durations and unknown ETAs', () => {
    expect(formatDuration(7.2)).toBe('7s');
    expect(formatDuration(65)).toBe('1m05s');
    expect(formatDuration(7380)).toBe('2h03m');
    expect(formatDuration(Number.NaN)).toBe('--');
  });

  it('draws a clamped bar', () => {
    expect(formatBar(0.5, 10)).toBe('[#####-----]');
    expect(formatBar(2, 4)).toBe('[####]');
    expect(formatBar(-1, 4)).toBe('[----]');
  });

  it('estimates the remaining time from the average rate', () => {
    expect(etaSeconds(0.25, 10_000)).toBeCloseTo(30);
    expect(Number.isNaN(etaSeconds(0, 10_000))).toBe(true);
    expect(etaSeconds(1, 10_000)).toBe(0);
  });

  it('shows bytes, rate and ETA for a transfer', () => {
    const line = formatTransferLine('upload clip.mp4', 5_000_000, 20_000_000, 2000);
    expect(line).toContain(' 25% ');
    expect(line).toContain('5.0 MB/20.0 MB');
    expect(line).toContain('2.5 MB/s');
    expect(line).toContain('ETA 6s');
    expect(formatTransferLine('x', 10, 10, 3000)).toContain('in 3s');
  });

  it('shows percent, state and ETA for a render', () => {
    expect(formatFractionLine('render', 0.6, 'rendering', 12_000)).toMatch(/ 60% rendering 12s ETA 8s$/);
  });

  it('prints a few whole lines when stderr is not a terminal', () => {
    const lines: string[] = [];
    let done = 0;
    const bar = new ProgressBar((ms) => ({ line: formatTransferLine('up', done, 100, ms), fraction: done / 100 }), {
      write: (s) => lines.push(s) > 0,
      isTTY: false,
    });
    for (done = 0; done <= 100; done += 5) bar.update();
    bar.done();
    expect(lines.length).toBeLessThanOrEqual(6);
    expect(lines.every((l) => l.endsWith('\n'))).toBe(true);
    expect(lines.at(-1)).toContain('100%');
  });

  it('redraws in place on a terminal', () => {
    const out: string[] = [];
    const bar = new ProgressBar(() => ({ line: 'x 50%', fraction: 0.5 }), {
      write: (s) => out.push(s) > 0,
      isTTY: true,
      columns: 80,
    });
    bar.update(true);
    bar.done();
    expect(out[0]!.startsWith('\r')).toBe(true);
    expect(out.at(-1)).toBe('\n');
  });
});
