import { AppError, ErrorCode } from '../lib/errors.ts';
import { type Inspected, Inspector } from './inspector.ts';
import { PART_BYTES } from './limits.ts';

/** Pulls the next chunk of a file, or null at its end. */
export type ChunkSource = () => Promise<Uint8Array | null>;

/**
 * Streams one file into R2 at `key` while inspecting it, and returns what the inspection found.
 * Nothing is committed in R2 until the whole file has passed inspection: on any failure the
 * upload is aborted (and the key deleted, in case R2 committed on the last byte) before rethrowing.
 * With a known length the body goes through one FixedLengthStream into `put` (cheapest);
 * without one, through an R2 multipart upload in fixed PART_BYTES parts.
 */
/**
 * Request bodies arrive in small chunks (often 4–64 KiB). Each chunk costs an await on the hash
 * and one on R2, so we regroup them into chunks of at least this size first.
 */
const COALESCE_BYTES = 1024 * 1024;

/** Regroups a source's chunks into chunks of at least COALESCE_BYTES (the last may be shorter). */
export function coalesced(next: ChunkSource, minBytes = COALESCE_BYTES): ChunkSource {
  let ended = false;
  return async () => {
    if (ended) return null;
    const parts: Uint8Array[] = [];
    let total = 0;
    while (total < minBytes) {
      const chunk = await next();
      if (!chunk) {
        ended = true;
        break;
      }
      if (chunk.length === 0) continue;
      parts.push(chunk);
      total += chunk.length;
    }
    if (parts.length <= 1) return parts[0] ?? null;
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
}

export async function ingest(
  bucket: R2Bucket,
  key: string,
  name: string,
  next: ChunkSource,
  knownLength: number | null,
): Promise<Inspected> {
  const inspector = new Inspector(name);
  const sink = knownLength === null ? new PartedSink(bucket, key) : new FixedSink(bucket, key, knownLength);
  try {
    const read = coalesced(next);
    for (let chunk = await read(); chunk; chunk = await read()) {
      await inspector.push(chunk);
      await sink.write(chunk, inspector.type?.mime ?? null);
    }
    const result = await inspector.finish();
    if (knownLength !== null && result.size !== knownLength) {
      throw new AppError(
        ErrorCode.BAD_REQUEST,
        `${name}: body has ${result.size} bytes but ${knownLength} were declared`,
      );
    }
    await sink.commit(result.mime);
    return result;
  } catch (err) {
    inspector.abort();
    await sink.abort(err);
    throw err;
  }
}

interface Sink {
  /** `mime` is null until the content type is known; no R2 call starts before it is. */
  write(chunk: Uint8Array, mime: string | null): Promise<void>;
  commit(mime: string): Promise<void>;
  abort(reason: unknown): Promise<void>;
}

/** Known length: one `put` fed by a FixedLengthStream, holding back the newest chunk until the verdict. */
class FixedSink implements Sink {
  private held: Uint8Array[] = [];
  private writer: WritableStreamDefaultWriter<Uint8Array> | null = null;
  private put: Promise<R2Object | null> | null = null;
  /** The one write R2 may still be consuming while we read the next chunk from the client. */
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly bucket: R2Bucket,
    private readonly key: string,
    private readonly length: number,
  ) {}

  private start(mime: string): void {
    const fixed = new FixedLengthStream(this.length);
    this.writer = fixed.writable.getWriter();
    this.put = this.bucket.put(this.key, fixed.readable, { httpMetadata: { contentType: mime } });
    this.put.catch(() => {}); // awaited in commit/abort; avoid an unhandled rejection meanwhile
  }

  private async send(chunk: Uint8Array): Promise<void> {
    await this.pending;
    this.pending = this.writer!.write(chunk);
    this.pending.catch(() => {}); // surfaced by the next await of `pending`
  }

  async write(chunk: Uint8Array, mime: string | null): Promise<void> {
    this.held.push(chunk);
    if (!mime) return;
    if (!this.writer) this.start(mime);
    // Keep the newest chunk back: R2 cannot commit an object it has not received the last byte of.
    while (this.held.length > 1) await this.send(this.held.shift()!);
  }

  async commit(mime: string): Promise<void> {
    if (!this.writer) this.start(mime);
    for (const chunk of this.held.splice(0)) await this.send(chunk);
    await this.pending;
    await this.writer!.close();
    await this.put;
  }

  async abort(reason: unknown): Promise<void> {
    this.held = [];
    if (!this.writer) return;
    await this.writer.abort(reason).catch(() => {});
    await this.put!.catch(() => {});
    await this.bucket.delete(this.key);
  }
}

/**
 * Unknown length: fills a PART_BYTES buffer; a file that fits is a single `put`, a larger one
 * becomes a multipart upload whose parts are all PART_BYTES long except the last (R2's rule).
 * Two buffers alternate so one part uploads while the next one fills; at most one part is in flight.
 */
class PartedSink implements Sink {
  private readonly buffers: Uint8Array[] = [new Uint8Array(PART_BYTES)];
  private current = 0;
  private fill = 0;
  private upload: R2MultipartUpload | null = null;
  private readonly parts: R2UploadedPart[] = [];
  private inflight: Promise<void> = Promise.resolve();

  constructor(
    private readonly bucket: R2Bucket,
    private readonly key: string,
  ) {}

  async write(chunk: Uint8Array, mime: string | null): Promise<void> {
    let at = 0;
    while (at < chunk.length) {
      const take = Math.min(PART_BYTES - this.fill, chunk.length - at);
      this.buffers[this.current]!.set(chunk.subarray(at, at + take), this.fill);
      this.fill += take;
      at += take;
      if (this.fill === PART_BYTES) await this.flush(mime ?? 'application/octet-stream');
    }
  }

  private async flush(mime: string): Promise<void> {
    const part = this.buffers[this.current]!.subarray(0, this.fill);
    await this.inflight; // the other buffer's upload: once done, that buffer is free to fill
    this.upload ??= await this.bucket.createMultipartUpload(this.key, { httpMetadata: { contentType: mime } });
    const upload = this.upload;
    const partNumber = this.parts.length + 1;
    this.parts.push(null as unknown as R2UploadedPart); // reserve the slot: parts complete in order
    this.inflight = upload.uploadPart(partNumber, part).then((uploaded) => {
      this.parts[partNumber - 1] = uploaded;
    });
    this.inflight.catch(() => {}); // surfaced by the next await of `inflight`
    this.current ^= 1;
    this.buffers[this.current] ??= new Uint8Array(PART_BYTES);
    this.fill = 0;
  }

  async commit(mime: string): Promise<void> {
    if (!this.upload) {
      const body = this.buffers[this.current]!.subarray(0, this.fill);
      await this.bucket.put(this.key, body, { httpMetadata: { contentType: mime } });
      return;
    }
    if (this.fill > 0) await this.flush(mime);
    await this.inflight;
    await this.upload.complete(this.parts);
  }

  async abort(): Promise<void> {
    await this.inflight.catch(() => {});
    // An unaborted multipart upload keeps its parts (billed storage) until R2's lifecycle reaps them.
    if (this.upload) await this.upload.abort().catch(() => {});
    await this.bucket.delete(this.key).catch(() => {});
  }
}
