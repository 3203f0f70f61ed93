/**
 * A tiny node:http server for tests standing in for the Worker's blob route: GET (with Range) serves
 * files from a directory, PUT stores bodies, both under /api/blob/ (the only path the engine
 * accepts). One server per test process, like the one Worker origin in production: each
 * startFileServer() gets its own folder `/api/blob/<n>/`, so an engine set up by one fixture may
 * read another fixture's files, as every engine may read any blob the Worker signs.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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

interface Mount {
  dir: string;
  puts: Map<string, Buffer>;
}

const mounts = new Map<string, Mount>();
let shared: Promise<{ server: Server; origin: string }> | null = null;
let nextId = 0;

async function handle(req: IncomingMessage, res: ServerResponse) {
  const full = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  const m = /^\/api\/blob\/([^/]+)(\/.*)$/.exec(full);
  const mount = m ? mounts.get(m[1]!) : undefined;
  if (!m || !mount) {
    res.writeHead(404).end();
    return;
  }
  const path = m[2]!;
  if (req.method === 'PUT') {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    if (Number(req.headers['content-length']) !== body.length) {
      res.writeHead(400).end('length mismatch');
      return;
    }
    mount.puts.set(path, body);
    res.writeHead(200).end();
    return;
  }
  const file = join(mount.dir, path);
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
}

export async function startFileServer(dir: string): Promise<FileServer> {
  // A promise, so fixtures set up concurrently still share one server.
  shared ??= new Promise((resolve) => {
    const server = createServer((req, res) => void handle(req, res));
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    );
  });
  const { origin } = await shared;
  const id = String(nextId++);
  const puts = new Map<string, Buffer>();
  mounts.set(id, { dir, puts });
  return {
    origin,
    url: (name) => `${origin}${BLOB_PREFIX}/${id}/${name}`,
    puts,
    async close() {
      mounts.delete(id);
      if (mounts.size > 0 || !shared) return;
      const { server } = await shared;
      shared = null;
      await new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      });
    },
  };
}
