import type { AcceptedExt } from './limits.ts';

/**
 * Checks, while bytes stream past, that a file is whole: a truncated upload is the commonest
 * broken file and ffprobe often half-reads one. Keeps a few counters and the last bytes only.
 */
export interface StructureCheck {
  push(chunk: Uint8Array): void;
  /** Why the file is incomplete or malformed, or null if it looks whole. */
  finish(totalBytes: number): string | null;
}

const TAIL_BYTES = 16;
const PNG_IEND = [0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

export function structureCheck(ext: AcceptedExt, head: Uint8Array): StructureCheck {
  switch (ext) {
    case 'mp4':
    case 'mov':
    case 'm4a':
      return new BoxChain();
    case 'avi':
    case 'wav':
    case 'webp':
      return new RiffSize(head);
    case 'png':
      return new Tail((t) => (endsWith(t, PNG_IEND) ? null : 'PNG does not end with an IEND chunk (truncated?)'));
    case 'jpg':
      // Some encoders pad after the end marker with zeros; anything else after it means a cut file.
      return new Tail((t) =>
        endsWith(trimZeros(t), [0xff, 0xd9]) ? null : 'JPEG does not end with an FFD9 end marker (truncated?)',
      );
    case 'gif':
      return new Tail((t) => (t[t.length - 1] === 0x3b ? null : 'GIF does not end with its 0x3B trailer (truncated?)'));
    default:
      // Elementary audio streams (mp3, aac) and EBML have no cheap end-of-file marker: the probe judges them.
      return { push() {}, finish: () => null };
  }
}

function endsWith(b: Uint8Array, sig: number[]): boolean {
  if (b.length < sig.length) return false;
  const at = b.length - sig.length;
  return sig.every((v, i) => b[at + i] === v);
}

function trimZeros(b: Uint8Array): Uint8Array {
  let end = b.length;
  while (end > 0 && b[end - 1] === 0) end--;
  return b.subarray(0, end);
}

/** Keeps the last TAIL_BYTES of the stream. */
class Tail implements StructureCheck {
  private tail = new Uint8Array(0);
  constructor(private readonly judge: (tail: Uint8Array) => string | null) {}
  push(chunk: Uint8Array): void {
    if (chunk.length >= TAIL_BYTES) {
      this.tail = chunk.slice(chunk.length - TAIL_BYTES);
      return;
    }
    const joined = new Uint8Array(this.tail.length + chunk.length);
    joined.set(this.tail);
    joined.set(chunk, this.tail.length);
    this.tail = joined.slice(Math.max(0, joined.length - TAIL_BYTES));
  }
  finish(): string | null {
    return this.judge(this.tail);
  }
}

/** RIFF declares its payload size at byte 4: a file shorter than that was cut off. */
class RiffSize implements StructureCheck {
  private readonly declared: number;
  constructor(head: Uint8Array) {
    this.declared = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(4, true) + 8;
  }
  push(): void {}
  finish(total: number): string | null {
    return total < this.declared
      ? `RIFF header declares ${this.declared} bytes but the file has ${total} (truncated?)`
      : null;
  }
}

/**
 * ISO-BMFF / QuickTime: top-level boxes must chain from byte 0 exactly to the end of the file,
 * and a playable file has a moov box. Reads only the 8 or 16 header bytes of each box.
 */
class BoxChain implements StructureCheck {
  private pos = 0;
  private boxStart = 0;
  private readonly header = new Uint8Array(16);
  private headerLen = 0;
  private toEnd = false;
  private sawMoov = false;
  private error: string | null = null;

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length && !this.toEnd && !this.error) {
      const abs = this.pos + i;
      if (abs < this.boxStart) {
        i += Math.min(this.boxStart - abs, chunk.length - i);
        continue;
      }
      const need = this.headerLen >= 8 && this.u32(0) === 1 ? 16 : 8;
      const take = Math.min(need - this.headerLen, chunk.length - i);
      this.header.set(chunk.subarray(i, i + take), this.headerLen);
      this.headerLen += take;
      i += take;
      if (this.headerLen === need) this.endHeader(need);
    }
    this.pos += chunk.length;
  }

  private u32(at: number): number {
    return new DataView(this.header.buffer).getUint32(at);
  }

  private endHeader(len: number): void {
    const small = this.u32(0);
    if (small === 1 && len === 8) return; // 64-bit size follows
    const type = String.fromCharCode(...this.header.subarray(4, 8));
    if (!/^[\x20-\x7e\xa9]{4}$/.test(type)) {
      this.error = `MP4/MOV box at byte ${this.boxStart} has no valid type (corrupt or truncated)`;
      return;
    }
    if (type === 'moov') this.sawMoov = true;
    const size = small === 1 ? this.u32(8) * 2 ** 32 + this.u32(12) : small;
    this.headerLen = 0;
    if (small === 0) {
      this.toEnd = true; // "extends to the end of the file": only legal for the last box
      return;
    }
    if (size < len) {
      this.error = `MP4/MOV box '${type}' at byte ${this.boxStart} has an impossible size ${size}`;
      return;
    }
    this.boxStart += size;
  }

  finish(total: number): string | null {
    if (this.error) return this.error;
    if (this.headerLen > 0) return `MP4/MOV ends inside a box header at byte ${this.boxStart} (truncated)`;
    if (!this.toEnd && this.boxStart !== total) {
      return this.boxStart > total
        ? `MP4/MOV is truncated: its boxes declare ${this.boxStart} bytes but the file has ${total}`
        : `MP4/MOV has ${total - this.boxStart} stray bytes after its last box`;
    }
    if (!this.sawMoov) return 'MP4/MOV has no moov box (an unfinished recording or truncated file)';
    return null;
  }
}
