/** Downloads a (signed or public) URL to a file with a progress bar; writes via a temp file so a failure leaves nothing half-written. */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Api } from './api-client.ts';
import { ApiError } from './errors.ts';
import { type BarStream, transferBar } from './progress.ts';

export interface DownloadOptions {
  label?: string;
  quiet?: boolean;
  stream?: BarStream;
}

/** Relative URLs resolve against the service; our own /api paths get the bearer token too. */
export async function download(api: Api, url: string, dest: string, opts: DownloadOptions = {}): Promise<number> {
  const absolute = api.url(url);
  const ours = absolute.startsWith(`${api.baseUrl}/`);
  const fetchIt = async (token: string | null) => {
    const res = await api.fetch(absolute, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      let code = res.status;
      let message = `download failed: HTTP ${res.status}`;
      try {
        const env = JSON.parse(text) as { code: number; message: string };
        code = env.code;
        message = env.message;
      } catch {}
      throw new ApiError(code, message, res.status);
    }
    return res;
  };
  const res = ours ? await api.withAuth((t) => fetchIt(t)) : await fetchIt(null);
  const total = Number(res.headers.get('content-length') ?? 0);
  let got = 0;
  const bar = transferBar(opts.label ?? 'download', total, () => got, opts.stream, !opts.quiet && total > 0);
  const tmp = `${dest}.part`;
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
  body.on('data', (c: Buffer) => {
    got += c.length;
    bar.update();
  });
  try {
    await pipeline(body, createWriteStream(tmp));
    await rename(tmp, dest);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  bar.done();
  return got;
}
