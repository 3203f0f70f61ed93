import { toHex } from '../lib/ids.ts';
import { HEAD_BYTES, MAX_UPLOAD_BYTES, type SniffedType, tooLarge, unsupported } from './limits.ts';
import { sniff } from './sniff.ts';
import { type StructureCheck, structureCheck } from './structure.ts';

export interface Inspected extends SniffedType {
  size: number;
  /** Hex SHA-256 of the whole file: the analysis cache key and a dedupe handle. */
  contentHash: string;
}

/**
 * Everything we learn about a file while it streams past, without keeping it: its type from the
 * first bytes, its size against the limit, its SHA-256 and whether its structure is complete.
 * Throws 4001/4002 AppErrors as soon as the answer is known.
 */
export class Inspector {
  private size = 0;
  private head: Uint8Array[] = [];
  private headLen = 0;
  private sniffed: SniffedType | null = null;
  private check: StructureCheck | null = null;
  private readonly digest = new crypto.DigestStream('SHA-256');
  private readonly digestWriter = this.digest.getWriter();

  constructor(readonly name: string) {
    // An aborted hash rejects its digest promise; nobody awaits it then.
    this.digest.digest.catch(() => {});
  }

  /** The type once enough bytes have arrived to tell it (null before that). */
  get type(): SniffedType | null {
    return this.sniffed;
  }

  async push(chunk: Uint8Array): Promise<void> {
    if (chunk.length === 0) return;
    this.size += chunk.length;
    if (this.size > MAX_UPLOAD_BYTES) throw tooLarge(this.name);
    await this.digestWriter.write(chunk);
    if (this.check) {
      this.check.push(chunk);
      return;
    }
    // Until the type is known, hold the first few KiB (the structure check replays them).
    this.head.push(chunk);
    this.headLen += chunk.length;
    if (this.headLen >= HEAD_BYTES) this.decide();
  }

  private decide(): void {
    const head = concat(this.head, this.headLen);
    this.head = [];
    this.sniffed = sniff(head.subarray(0, HEAD_BYTES));
    if (!this.sniffed) throw unsupported(this.name, 'content is not a supported video, image or audio file');
    this.check = structureCheck(this.sniffed.ext, head);
    this.check.push(head);
  }

  /** Call once the stream has ended: the final verdict. */
  async finish(): Promise<Inspected> {
    if (this.size === 0) throw unsupported(this.name, 'file is empty (0 bytes)');
    if (!this.check) this.decide();
    const problem = this.check!.finish(this.size);
    if (problem) throw unsupported(this.name, `incomplete or corrupt file: ${problem}`);
    await this.digestWriter.close();
    return { ...this.sniffed!, size: this.size, contentHash: toHex(await this.digest.digest) };
  }

  /** Releases the hash stream after a failure. */
  abort(): void {
    this.digestWriter.abort().catch(() => {});
  }
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
