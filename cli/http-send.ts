/**
 * Streams a request body from disk with a known Content-Length (fetch would fall back to
 * chunked encoding for a stream, which R2 cannot take), counting bytes for a progress bar.
 */
import { createReadStream } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { NetworkError } from './errors.ts';

export type BodyPart = Buffer | { path: string; size: number };

export const partSize = (p: BodyPart) => (Buffer.isBuffer(p) ? p.length : p.size);

export interface SendOptions {
  method: 'PUT' | 'POST';
  url: string;
  headers: Record<string, string>;
  parts: BodyPart[];
  onBytes?: (sentBytes: number) => void;
  signal?: AbortSignal;
}

export function sendStreaming(opts: SendOptions): Promise<Response> {
  const url = new URL(opts.url);
  const total = opts.parts.reduce((n, p) => n + partSize(p), 0);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    let answered = false;
    const req = request(url, {
      method: opts.method,
      headers: { ...opts.headers, 'content-length': String(total) },
      signal: opts.signal,
    });
    req.on('response', (res: IncomingMessage) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => reject(new NetworkError(url.origin, err)));
      res.on('end', () => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
        resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 500, headers }));
      });
    });
    // The server may answer (413/415) before reading the whole body: the write error that follows is not ours to report.
    req.on('error', (err) => {
      if (!answered) reject((err as Error).name === 'AbortError' ? err : new NetworkError(url.origin, err));
    });
    let sent = 0;
    const count = (n: number) => {
      sent += n;
      opts.onBytes?.(sent);
    };
    void (async () => {
      for (const part of opts.parts) {
        if (answered) return;
        if (Buffer.isBuffer(part)) {
          if (!req.write(part)) await new Promise((r) => req.once('drain', r));
          count(part.length);
          continue;
        }
        for await (const chunk of createReadStream(part.path, { highWaterMark: 1 << 20 })) {
          if (answered || req.destroyed) return;
          if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
          count((chunk as Buffer).length);
        }
      }
      req.end();
    })().catch((err) => {
      if (!answered) reject(err);
      req.destroy();
    });
  });
}
