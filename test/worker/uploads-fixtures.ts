/**
 * Small but structurally valid media files for the upload tests. Containers (MP4/MOV/M4A, RIFF
 * WAV/AVI, GIF) are built here byte by byte; files whose payload cannot sensibly be hand-built
 * (JPEG, PNG, WebP, MP3, AAC, WebM, MKV) are tiny real files made once with ffmpeg 5.1, kept as
 * base64. All of them were checked with ffprobe.
 */
const enc = new TextEncoder();
const b64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const u32be = (n: number) => new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
const u32le = (n: number) => new Uint8Array([n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24]);
const u16le = (n: number) => new Uint8Array([n & 255, n >>> 8]);

/** An ISO-BMFF box: 32-bit size, four-character type, payload. */
export const box = (type: string, ...payload: Uint8Array[]) => {
  const body = concat(...payload);
  return concat(u32be(8 + body.length), enc.encode(type), body);
};

/** An mvhd (version 0): timescale 1000, duration in ms. */
function mvhd(durationMs: number): Uint8Array {
  const p = new Uint8Array(100);
  const v = new DataView(p.buffer);
  v.setUint32(12, 1000);
  v.setUint32(16, durationMs);
  v.setUint32(20, 0x00010000); // rate 1.0
  v.setUint16(24, 0x0100); // volume 1.0
  for (const [i, x] of [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000].entries()) v.setUint32(36 + i * 4, x);
  v.setUint32(96, 2); // next track id
  return box('mvhd', p);
}

export const ftyp = (brand: string, ...compatible: string[]) =>
  box('ftyp', enc.encode(brand), u32be(0x200), ...[brand, ...compatible].map((b) => enc.encode(b)));
export const moov = () => box('moov', mvhd(1000));

export const mp4 = () => concat(ftyp('isom', 'iso2', 'mp41'), moov(), box('mdat', new Uint8Array(64).fill(7)));
export const mov = () => concat(ftyp('qt  '), box('wide'), box('mdat', new Uint8Array(64).fill(1)), moov());
/** Pre-ftyp QuickTime: starts straight with a box. */
export const oldMov = () => concat(box('wide'), box('mdat', new Uint8Array(32).fill(3)), moov());
export const m4a = () => concat(ftyp('M4A ', 'isom', 'mp42'), moov(), box('mdat', new Uint8Array(48).fill(5)));

/** A RIFF chunk: four-character id, little-endian size, payload padded to even length. */
const chunk = (id: string, ...payload: Uint8Array[]) => {
  const body = concat(...payload);
  return concat(enc.encode(id), u32le(body.length), body, body.length % 2 ? new Uint8Array(1) : new Uint8Array(0));
};
const riff = (form: string, ...chunks: Uint8Array[]) => chunk('RIFF', enc.encode(form), ...chunks);

/** 16-bit mono PCM, 8 kHz, a 440 Hz tone. */
export function wav(samples = 800): Uint8Array {
  const pcm = new Uint8Array(samples * 2);
  const v = new DataView(pcm.buffer);
  for (let i = 0; i < samples; i++)
    v.setInt16(i * 2, Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)), true);
  const fmt = concat(u16le(1), u16le(1), u32le(8000), u32le(16000), u16le(2), u16le(16));
  return riff('WAVE', chunk('fmt ', fmt), chunk('data', pcm));
}

/** AVI header list with a main header; enough for a sniff and a RIFF size check. */
export function avi(): Uint8Array {
  const avih = new Uint8Array(56);
  const v = new DataView(avih.buffer);
  v.setUint32(0, 40000, true); // µs per frame (25 fps)
  v.setUint32(16, 0, true); // total frames
  v.setUint32(24, 1, true); // streams
  v.setUint32(32, 16, true); // width
  v.setUint32(36, 16, true); // height
  return riff('AVI ', chunk('LIST', enc.encode('hdrl'), chunk('avih', avih)), chunk('LIST', enc.encode('movi')));
}

/** One-frame 16×16 VP8 WebM and FFV1 Matroska (ffmpeg, bitexact): EBML header with DocType. */
export const webm = () =>
  b64(
    'GkXfo59ChoEBQveBAULygQRC84EIQoKEd2VibUKHgQJChYECGFOAZwEAAAAAAAG/EU2bdLpNu4tTq4QVSalmU6yBoU27i1OrhBZUrmtTrIHGTbuMU6uEElTDZ1OsggEMTbuMU6uEHFO7a1OsggGp7AEAAAAAAABZAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAVSalmoCrXsYMPQkBNgIRMYXZmV0GETGF2ZkSJiEBEAAAAAAAAFlSua8GuAQAAAAAAADjXgQFzxYgAAAAAAAAAAZyBACK1nIN1bmSIgQCGhVZfVlA4g4EBI+ODhAJiWgDgibCBELqBEJqBAhJUw2fRc3POY8CLY8WIAAAAAAAAAAFnyJhFo4dFTkNPREVSRIeLTGF2YyBsaWJ2cHhnyKJFo4hEVVJBVElPTkSHlDAwOjAwOjAwLjA0MDAwMDAwMAAAH0O2dcLngQCjvYEAAIDwAgCdASoQABAAAEcIhYWIhYSIAgICdaoD+AP6Ag1NGAD+/W7z/+OZNzDE/45t//FhPA4oyP/xUQAcU7trkbuPs4EAt4r3gQHxggFi8IED',
  );
export const mkv = () =>
  b64(
    'GkXfo6NChoEBQveBAULygQRC84EIQoKIbWF0cm9za2FCh4EEQoWBAhhTgGcBAAAAAAAB/xFNm3TAv4QmhnZjTbuLU6uEFUmpZlOsgaFNu4tTq4QWVK5rU6yBzE27jFOrhBJUw2dTrIIBTU27jFOrhBxTu2tTrIIB4+wBAAAAAAAAUwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAFUmpZqa/hEdLJvQq17GDD0JATYCETGF2ZldBhExhdmZEiYhARAAAAAAAABZUrmv8v4RPji5VrgEAAAAAAABt14EBc8WIAAAAAAAAAAGcgQAitZyDdW5kiIEAg4EBI+ODhAJiWgCGj1ZfTVMvVkZXL0ZPVVJDQ+CJsIEQuoEQmoECY6KoKAAAABAAAAAQAAAAAQAYAEZGVjEAAwAAAAAAAAAAAAAAAAAAAAAAABJUw2fVv4QIrgOgc3PMY8CLY8WIAAAAAAAAAAFnyJZFo4dFTkNPREVSRIeJTGF2YyBmZnYxZ8iiRaOIRFVSQVRJT05Eh5QwMDowMDowMC4wNDAwMDAwMDAAAB9DtnW3v4T/ijjt54EAo6yBAACA9MdXMano6XcQAXxw/aIIa7VqbQAErK//n////gAKeV8//+wyvn//wBxTu2uXv4RPiizou4+zgQC3iveBAfGCAafwgQk=',
  );

export const jpg = () =>
  b64(
    '/9j/4AAQSkZJRgABAgAAAQABAAD//gAQTGF2YzU5LjM3LjEwMAD/2wBDAAgEBAQEBAUFBQUFBQYGBgYGBgYGBgYGBgYHBwcICAgHBwcGBgcHCAgICAkJCQgICAgJCQoKCgwMCwsODg4RERT/xABMAAEBAAAAAAAAAAAAAAAAAAAABgEBAQAAAAAAAAAAAAAAAAAABgcQAQAAAAAAAAAAAAAAAAAAAAARAQAAAAAAAAAAAAAAAAAAAAD/wAARCAAIAAgDASIAAhEAAxEA/9oADAMBAAIRAxEAPwCLAFF/f//Z',
  );
export const png = () =>
  b64(
    'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAACXBIWXMAAAABAAAAAQBPJcTWAAAAEklEQVR4nGP4y8CAFWEXHbQSAPZwP0G2GkFNAAAAAElFTkSuQmCC',
  );
/** GIF89a, 1×1, global colour table of two, one image, trailer. */
export const gif = () =>
  new Uint8Array([
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 255, 255, 255, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0,
    2, 2, 0x44, 0x01, 0, 0x3b,
  ]);
export const webp = () =>
  b64('UklGRjwAAABXRUJQVlA4IDAAAADQAQCdASoIAAgAAgA0JaACdLoB+AADsAD+8Oj3/yC5YXXI1/8gP+QH/ID/+PIAAAA=');
/** Three MPEG-2 Layer III frames (8 kHz mono), no ID3 tag: sniffed by frame sync alone. */
export const mp3 = () =>
  b64(
    '/+MYxAANIJaceUwAAAgLdwL3ve973vSlKUpSnXve97/O007EMCYEwJiOf8OBAEMTh///nOn3f0ghy/uxAAwf4Y6VyypquH9p/+MYxAYOONqsAZgwACrS2fpZTWjVJzuG5TKo07UpBdEwrDLwHpekaeFCSmCJCSNVVtBO9BgrWo4ShIGso6CsSpIkTWxjn/qS/+MYxAgMKMY0AckIASkmKQy0qKSWMkQqFTOSlLVQqGXoSVlZE0qhlFCyaFDAp5sLgV+Jv/+NTEFNRTMuMTAwVVVVVVVVVVVV',
  );
/** The same audio behind an ID3v2 tag. */
export const mp3WithId3 = () => concat(enc.encode('ID3'), new Uint8Array([4, 0, 0, 0, 0, 0, 0]), mp3());
/** ADTS AAC (FFF1), two frames. */
export const aac = () =>
  b64(
    '//FsQBh//N4CAExhdmM1OS4zNy4xMDAAAmxlMZCloKfOZ49ru9S4uJItIkkkF8jW0WzDfVe9FtD01X1NXRbM99V8lFtFuNVS2mupUtpnOA+PUOwN1zzFUg5IqExVVTFFUiYkVHmiqRMUVQmKqqYoqhMSKgRVImJFQmJCJiQgESKjlFUiYkIFxIQRIqHsUiBdEgESEC4pEFdIgXFIgXIkFxSIFxSC66RAuKRDLpJBddIgXYyD2ukkF2Mgpuk+Y23SWsu4//FsQBcf/AE0MovmZKqm+/H1ri7kkkkiJIiID/wn3GRvPoP8D3LI27oP8Gzw5An3fgLJmHuMjeeF/4T7l8Nu6D/A9yyNu+4+DZ4X8yfcfDefQf4HuWRt33P8G94X8yfcfBs+h/4HuWRt3Qf4HvC/mT7j4NnhfzJ9y+G3dB/ge5ZG0+4+DZ4X8yfcfBndB/ge5ZG3dB/g3vC/mT7j4NnhPmHuMjbug/wPcsmZPuPg2eF/MPcZDOwn4A==',
  );
