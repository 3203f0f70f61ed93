/** Accumulates ffmpeg inputs and filter_complex chains with unique pad labels. */

export class GraphBuilder {
  readonly inputArgs: string[][] = [];
  readonly chains: string[] = [];
  private labels = 0;

  /** Adds one `-i` input (with its input options) and returns its index. */
  addInput(args: string[]): number {
    this.inputArgs.push(args);
    return this.inputArgs.length - 1;
  }

  label(prefix: string): string {
    this.labels += 1;
    return `${prefix}${this.labels}`;
  }

  /** `[in1][in2]f1,f2[out]`; returns the output label. */
  chain(inputs: string[], filters: string[], prefix = 'l'): string {
    const out = this.label(prefix);
    this.chains.push(`${inputs.map((l) => `[${l}]`).join('')}${filters.join(',')}[${out}]`);
    return out;
  }

  graph(): string {
    return this.chains.join(';\n');
  }
}

/** Seconds with millisecond precision, as ffmpeg wants them. */
export function sec(ms: number): string {
  return (Math.round(ms) / 1000).toFixed(3);
}

/**
 * An input seek position, seconds to the microsecond, rounded down. A piece of a segment cut at a
 * chunk boundary starts at a fractional millisecond (frame 20 at 30 fps is 666.67 ms in); rounded
 * up to 667 ms, ffmpeg's exact seek would drop the very source frame the whole render shows there.
 * For whole milliseconds this is the same position as `sec`.
 */
export function seekSec(ms: number): string {
  return (Math.floor(ms * 1000 + 1e-6) / 1e6).toFixed(6);
}

/** Quotes a filter option value (paths, expressions) for the filtergraph parser. */
export function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "'\\\\\\''")}'`;
}
