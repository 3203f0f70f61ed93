/**
 * The one place that spawns ffmpeg and ffprobe. Always argument arrays, never a shell, so file
 * names and URLs cannot be interpreted as shell syntax. Every input is vetted here too
 * (guardInputs): URLs may use only http(s) over tcp/tls, and anything else that is not the
 * engine's own local file or lavfi graph (file:, concat:, data:, subfile:, pipe:, ...) is refused.
 */
import { spawn } from 'node:child_process';

export const FFMPEG_BIN = process.env.FFMPEG_PATH ?? 'ffmpeg';
export const FFPROBE_BIN = process.env.FFPROBE_PATH ?? 'ffprobe';

export interface RunFfmpegOptions {
  signal?: AbortSignal;
  /** Called with 0..1 as ffmpeg reports progress (needs durationMs). */
  onProgress?: (fraction: number) => void;
  /** Expected output duration, to turn ffmpeg's out_time into a fraction. */
  durationMs?: number;
  /**
   * Raw bytes ffmpeg writes to stdout (an output of `pipe:1`), handed over as they arrive and
   * never collected: a whole decoded hour streams through in bounded memory. Not with onProgress.
   */
  onStdoutBytes?: (chunk: Buffer) => void;
}

export interface RunResult {
  /** Everything ffmpeg wrote to stderr (filters such as silencedetect report there). */
  stderr: string;
}

export class FfmpegError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
    /** Exit code: the part of the failure that may leave the engine (stderr holds paths and internals). */
    readonly exitCode: number | null = null,
  ) {
    super(message);
  }
}

/** An input that is neither http(s), a local path, nor a lavfi graph: never handed to ffmpeg. */
export class RefusedInputError extends Error {}

/** Nested protocols an http(s) input may open: an HLS playlist or redirect cannot reach file: or data:. */
export const URL_PROTOCOL_WHITELIST = 'http,https,tcp,tls';

/**
 * Checks every `-i` of an ffmpeg argument list and returns it with `-protocol_whitelist` before
 * each URL input. Local paths (absolute, no scheme) are the engine's own temp files and keep
 * ffmpeg's defaults; a `-f lavfi` input is a filter graph built by engine code.
 */
export function guardInputs(args: string[]): string[] {
  const out: string[] = [];
  let format: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-f') format = args[i + 1];
    if (a !== '-i') {
      out.push(a);
      continue;
    }
    const input = args[i + 1] ?? '';
    if (/^https?:\/\//i.test(input)) out.push('-protocol_whitelist', URL_PROTOCOL_WHITELIST);
    else if (format !== 'lavfi' && !input.startsWith('/')) {
      throw new RefusedInputError(`input refused: only http(s) URLs and engine files are read (${input.slice(0, 40)})`);
    }
    out.push('-i', input);
    i++;
    format = undefined;
  }
  return out;
}

export class AbortedError extends Error {
  constructor() {
    super('aborted');
  }
}

const STDERR_KEEP_CHARS = 2_000_000;

/** Runs ffmpeg with `args`; resolves with its stderr on exit 0, rejects otherwise. */
export function runFfmpeg(args: string[], opts: RunFfmpegOptions = {}): Promise<RunResult> {
  const full = [
    '-hide_banner',
    '-nostdin', // never wait for keyboard input from a service
    ...(opts.onProgress ? ['-progress', 'pipe:1', '-nostats'] : []), // key=value progress blocks on stdout
    ...guardInputs(args),
  ];
  if (opts.onStdoutBytes) {
    if (opts.onProgress) throw new Error('runFfmpeg: onStdoutBytes and onProgress both use stdout');
    return spawnCollect(FFMPEG_BIN, full, opts, undefined, opts.onStdoutBytes).then(({ stderr }) => ({ stderr }));
  }
  return spawnCollect(FFMPEG_BIN, full, opts, (line) => {
    if (!opts.onProgress || !opts.durationMs) return;
    // out_time_us (and out_time_ms, which is also microseconds) is the encoded position.
    const m = /^out_time_(?:us|ms)=(\d+)/.exec(line);
    if (m) opts.onProgress(Math.min(1, Math.max(0, Number(m[1]) / 1000 / opts.durationMs)));
    else if (line === 'progress=end') opts.onProgress(1);
  }).then(({ stderr }) => ({ stderr }));
}

function spawnCollect(
  bin: string,
  args: string[],
  opts: { signal?: AbortSignal },
  onStdoutLine?: (line: string) => void,
  onStdoutBytes?: (chunk: Buffer) => void,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new AbortedError());
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stderr.setEncoding('utf8');
    if (onStdoutBytes) child.stdout.on('data', (chunk: Buffer) => onStdoutBytes(chunk));
    else child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (onStdoutBytes) return;
      if (!onStdoutLine) {
        stdout += chunk;
        return;
      }
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onStdoutLine(line.trim());
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.length > STDERR_KEEP_CHARS) stderr = stderr.slice(-STDERR_KEEP_CHARS / 2);
    });
    const onAbort = () => child.kill('SIGKILL');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => {
      opts.signal?.removeEventListener('abort', onAbort);
      reject(err);
    });
    child.on('close', (code) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (opts.signal?.aborted) return reject(new AbortedError());
      if (code === 0) return resolve({ stdout, stderr });
      const tail = stderr.trim().split('\n').slice(-4).join(' | ');
      reject(new FfmpegError(`${bin} exited with ${code}: ${tail}`, stderr, code));
    });
  });
}

export interface FfprobeStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  nb_frames?: string;
  /** With `countPackets`: packets read (one per frame for video). */
  nb_read_packets?: string;
  profile?: string;
  pix_fmt?: string;
  sample_rate?: string;
  channels?: number;
  tags?: Record<string, string>;
  side_data_list?: { side_data_type?: string; rotation?: number }[];
  disposition?: Record<string, number>;
}

export interface FfprobeOutput {
  streams: FfprobeStream[];
  format: { format_name?: string; duration?: string; size?: string; tags?: Record<string, string> };
}

/** ffprobe -print_format json of a local path or http(s) URL; `countPackets` reads the whole file to count them. */
export async function probe(
  urlOrPath: string,
  opts: { signal?: AbortSignal; countPackets?: boolean } = {},
): Promise<FfprobeOutput> {
  const { stdout } = await spawnCollect(
    FFPROBE_BIN,
    [
      ...['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams'],
      ...(opts.countPackets ? ['-count_packets'] : []),
      ...guardInputs(['-i', urlOrPath]),
    ],
    opts,
  );
  const parsed = JSON.parse(stdout) as Partial<FfprobeOutput>;
  return { streams: parsed.streams ?? [], format: parsed.format ?? {} };
}

/** "5.1.9-0+deb12u1" from `ffmpeg -version`. */
export async function ffmpegVersion(): Promise<string> {
  const { stdout } = await spawnCollect(FFMPEG_BIN, ['-hide_banner', '-version'], {});
  return /ffmpeg version (\S+)/.exec(stdout)?.[1] ?? 'unknown';
}
