/** PUT a local file to a signed URL with Content-Length (R2 needs a known length). */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { PublicError } from './public-error.ts';

export async function putFile(url: string, path: string, contentType: string, signal?: AbortSignal): Promise<number> {
  const { size } = await stat(path);
  const u = new URL(url);
  const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
  await new Promise<void>((resolve, reject) => {
    const req = request(u, {
      method: 'PUT',
      headers: { 'content-length': String(size), 'content-type': contentType },
      signal,
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode && res.statusCode < 300
          ? resolve()
          : reject(new PublicError(`uploading the result failed (HTTP ${res.statusCode})`)),
      );
    });
    req.on('error', reject);
    createReadStream(path).on('error', reject).pipe(req);
  });
  return size;
}
