/** GET a signed URL into a local file, streamed (a chunk of a long render does not sit in memory). */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PublicError } from './public-error.ts';

export async function getFile(url: string, path: string, signal?: AbortSignal): Promise<number> {
  const res = await fetch(url, { signal });
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new PublicError(`reading a part of the render failed (HTTP ${res.status})`);
  }
  let bytes = 0;
  const counted = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream).on('data', (c: Buffer) => {
    bytes += c.length;
  });
  await pipeline(counted, createWriteStream(path), { signal });
  return bytes;
}
