import type { SniffedType } from './limits.ts';

const ascii = (b: Uint8Array, at: number, len: number) => String.fromCharCode(...b.subarray(at, at + len));
const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);

const T = {
  mp4: { ext: 'mp4', kind: 'video', mime: 'video/mp4' },
  mov: { ext: 'mov', kind: 'video', mime: 'video/quicktime' },
  avi: { ext: 'avi', kind: 'video', mime: 'video/x-msvideo' },
  webm: { ext: 'webm', kind: 'video', mime: 'video/webm' },
  mkv: { ext: 'mkv', kind: 'video', mime: 'video/x-matroska' },
  jpg: { ext: 'jpg', kind: 'image', mime: 'image/jpeg' },
  png: { ext: 'png', kind: 'image', mime: 'image/png' },
  gif: { ext: 'gif', kind: 'image', mime: 'image/gif' },
  webp: { ext: 'webp', kind: 'image', mime: 'image/webp' },
  mp3: { ext: 'mp3', kind: 'audio', mime: 'audio/mpeg' },
  wav: { ext: 'wav', kind: 'audio', mime: 'audio/wav' },
  m4a: { ext: 'm4a', kind: 'audio', mime: 'audio/mp4' },
  aac: { ext: 'aac', kind: 'audio', mime: 'audio/aac' },
} as const satisfies Record<string, SniffedType>;

/** Box types a pre-ftyp QuickTime file may start with. */
const QUICKTIME_FIRST_BOXES = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);
const AUDIO_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ']);
/** ISO-BMFF still-image and camera-raw brands (HEIC, AVIF, CR3): same boxes as MP4, not a format we accept. */
const IMAGE_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'avif', 'avis', 'crx ']);

/**
 * The type of a file from its first bytes (up to HEAD_BYTES), or null if it is none we accept.
 * Container sniffing only: whether the streams inside decode is the engine's probe's job.
 */
export function sniff(head: Uint8Array): SniffedType | null {
  if (head.length < 4) return null;
  if (head.length >= 12 && ascii(head, 4, 4) === 'ftyp') {
    const brand = ascii(head, 8, 4);
    if (brand === 'qt  ') return T.mov;
    if (IMAGE_BRANDS.has(brand)) return null;
    // An isom/mp42 file may still hold audio only: the probe corrects the kind later.
    return AUDIO_BRANDS.has(brand) ? T.m4a : T.mp4;
  }
  if (head.length >= 8 && QUICKTIME_FIRST_BOXES.has(ascii(head, 4, 4))) return T.mov;
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF') {
    const form = ascii(head, 8, 4);
    if (form === 'AVI ') return T.avi;
    if (form === 'WAVE') return T.wav;
    if (form === 'WEBP') return T.webp;
    return null;
  }
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return ebmlType(head);
  if (startsWith(head, [0xff, 0xd8, 0xff])) return T.jpg;
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return T.png;
  if (head.length >= 6 && (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a')) return T.gif;
  if (ascii(head, 0, 3) === 'ID3') return T.mp3;
  if (head[0] === 0xff && (head[1]! & 0xf0) === 0xf0 && (head[1]! & 0x06) === 0) return T.aac;
  if (isMpegAudioFrame(head)) return T.mp3;
  return null;
}

/** MPEG audio frame header: 11 sync bits, a real version and layer, a usable bitrate and sample rate. */
function isMpegAudioFrame(b: Uint8Array): boolean {
  if (b[0] !== 0xff || (b[1]! & 0xe0) !== 0xe0) return false;
  const version = (b[1]! >> 3) & 3;
  const layer = (b[1]! >> 1) & 3;
  const bitrate = b[2]! >> 4;
  const rate = (b[2]! >> 2) & 3;
  return version !== 1 && layer !== 0 && bitrate !== 15 && rate !== 3;
}

/** Reads an EBML variable-length integer; `marker` keeps the length bits (element ids do). */
function vint(b: Uint8Array, at: number, marker: boolean): { value: number; len: number } | null {
  const first = b[at];
  if (first === undefined || first === 0) return null;
  const len = Math.clz32(first) - 23;
  if (at + len > b.length) return null;
  let value = marker ? first : first & (0xff >> len);
  for (let i = 1; i < len; i++) value = value * 256 + b[at + i]!;
  return { value, len };
}

/** WebM and Matroska share EBML; the header's DocType element (0x4282) tells them apart. */
function ebmlType(b: Uint8Array): SniffedType | null {
  const headerSize = vint(b, 4, false);
  if (!headerSize) return null;
  let at = 4 + headerSize.len;
  const end = Math.min(b.length, at + headerSize.value);
  while (at < end) {
    const id = vint(b, at, true);
    if (!id) return null;
    const size = vint(b, at + id.len, false);
    if (!size) return null;
    const dataAt = at + id.len + size.len;
    if (id.value === 0x4282) {
      const docType = ascii(b, dataAt, size.value).replace(/\0+$/, '');
      return docType === 'webm' ? T.webm : docType === 'matroska' ? T.mkv : null;
    }
    at = dataAt + size.value;
  }
  return null;
}
