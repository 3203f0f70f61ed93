/**
 * A tiny node:http server for tests standing in for the Worker's blob route: GET (with Range) serves
 * files from a directory, PUT stores bodies, both under /api/blob/ (the only path the engine accepts).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const BLOB_PREFIX = '/api/blob';

export interface FileServer {
  /** Origin to configure as ENGINE_WORKER_ORIGIN. */
  origin: string;
  url(name: string): string;
  /** Bodies received by PUT, by path ("/out.mp4"). */
  puts: Map<string, Buffer>;
  close(): Promise<void>;
}

export async function startFileServer(dir: string): Promise<FileServer> {
  const puts = new Map<string, Buffer>();
  const server: Server = createServer(async (req, res) => {
    const full = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (!full.startsWith(`${BLOB_PREFIX}/`)) {
      res.writeHead(404).end();
      return;
    }
    const path = full.slice(BLOB_PREFIX.length);
    if (req.method === 'PUT') {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      if (Number(req.headers['content-length']) !== body.length) {
        res.writeHead(400).end('length mismatch');
        return;
      }
      puts.set(path, body);
      res.writeHead(200).end();
      return;
    }
    const file = join(dir, path);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    const range = /bytes=(\d*)-(\d*)/.exec(req.headers.range ?? '');
    if (range) {
      const start = range[1] ? Number(range[1]) : 0;
      const end = range[2] ? Math.min(Number(range[2]), info.size - 1) : info.size - 1;
      if (start >= info.size) {
        res.writeHead(416, { 'content-range': `bytes */${info.size}` }).end();
        return;
      }
      res.writeHead(206, {
        'content-range': `bytes ${start}-${end}/${info.size}`,
        'content-length': end - start + 1,
        'accept-ranges': 'bytes',
      });
      createReadStream(file, { start, end }).pipe(res);
      return;
    }
    res.writeHead(200, { 'content-length': info.size, 'accept-ranges': 'bytes' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    url: (name) => `http://127.0.0.1:${port}${BLOB_PREFIX}/${name}`,
    puts,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
