import {
  getMultipartBoundary,
  MultipartParseError,
  type MultipartPart,
  parseMultipart,
} from '@mjackson/multipart-parser';
import { AppError, ErrorCode } from '../lib/errors.ts';
import type { ChunkSource } from './r2-sink.ts';

/**
 * How far the request may run ahead of the file consumer. The parser (0.9.0) enqueues every part
 * byte as soon as it reads it, ignoring backpressure: without this gate a slow R2 lets the whole
 * upload pile up in memory.
 */
const AHEAD_BYTES = 4 * 1024 * 1024;

export interface FilePart {
  field: string;
  filename: string;
  /** Reads the part's bytes; rejects if the request fails meanwhile. */
  next: ChunkSource;
}

/** Counts bytes read from the request against bytes taken by the consumer, and holds reading back. */
class Gate {
  private fed = 0;
  private taken = 0;
  private wake: (() => void) | null = null;
  failure: unknown = null;
  private failed!: (err: unknown) => void;
  readonly failedPromise = new Promise<never>((_, reject) => {
    this.failed = reject;
  });

  constructor() {
    this.failedPromise.catch(() => {});
  }

  async ready(): Promise<void> {
    while (this.failure === null && this.fed - this.taken > AHEAD_BYTES) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    if (this.failure !== null) throw this.failure;
  }
  addFed(n: number): void {
    this.fed += n;
  }
  addTaken(n: number): void {
    this.taken += n;
    this.release();
  }
  /** A new part starts: bytes of headers and boundaries were never "taken"; forget them. */
  resync(): void {
    this.taken = this.fed;
    this.release();
  }
  fail(err: unknown): void {
    if (this.failure !== null) return;
    this.failure = err;
    this.failed(err);
    this.release();
  }
  private release(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

async function* throttled(reader: ReadableStreamDefaultReader<Uint8Array>, gate: Gate): AsyncGenerator<Uint8Array> {
  while (true) {
    await gate.ready();
    const { done, value } = await reader.read();
    if (done) return;
    gate.addFed(value.length);
    yield value;
  }
}

/**
 * Parses a multipart/form-data body as a stream and hands each file part to `onFile`, one at a
 * time in body order, never holding more than AHEAD_BYTES of it. Text fields are read and dropped.
 * The first error (from parsing, the client or `onFile`) stops everything and is rethrown once all
 * handlers have settled, so callers can clean up knowing nothing else is running.
 */
export async function eachFilePart(request: Request, onFile: (part: FilePart) => Promise<void>): Promise<void> {
  const boundary = getMultipartBoundary(request.headers.get('content-type') ?? '');
  if (!boundary || !request.body)
    throw new AppError(ErrorCode.BAD_REQUEST, 'multipart/form-data needs a boundary and a body');
  const gate = new Gate();
  const reader = request.body.getReader();
  let chain: Promise<void> = Promise.resolve();

  const handle = (part: MultipartPart) => {
    const run = async () => {
      gate.resync();
      const body = part.body.getReader();
      const next: ChunkSource = async () => {
        const { done, value } = await Promise.race([body.read(), gate.failedPromise]);
        if (done) return null;
        gate.addTaken(value.length);
        return value;
      };
      if (part.filename === undefined) {
        while (await next()); // a text field: not ours to keep
        return;
      }
      await onFile({ field: part.name ?? '', filename: part.filename, next });
    };
    chain = chain.then(run).catch((err) => gate.fail(err));
  };

  try {
    await parseMultipart(throttled(reader, gate), { boundary, maxHeaderSize: 16 * 1024 }, handle);
  } catch (err) {
    gate.fail(
      err instanceof MultipartParseError
        ? new AppError(ErrorCode.BAD_REQUEST, `Malformed multipart body: ${err.message}`)
        : err,
    );
  }
  await chain;
  reader.releaseLock();
  if (gate.failure !== null) throw gate.failure;
}
