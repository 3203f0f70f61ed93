import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../lib/app-env.ts';
import { acceptedPutType, BLOB_PUT_TYPES } from '../lib/content-types.ts';
import { AppError, ErrorCode } from '../lib/errors.ts';
import { BINARY, type RouteDoc } from '../lib/openapi-registry.ts';
import { serveObject } from '../lib/serve-object.ts';
import { verifyBlobSignature } from '../lib/signing.ts';
import { BlobPutData } from './api-schemas.ts';

/** The signature of a signed URL: method, expiry (unix s) and HMAC; the server makes these, clients follow them. */
const SignedQuery = z.object({ m: z.enum(['GET', 'PUT']), exp: z.string(), sig: z.string() });

/**
 * Signed object access for the media engine and download links: GET (with Range, so ffmpeg
 * and players can seek) and PUT (streamed into R2; Content-Length required because R2 needs
 * a known length). The signature scopes each URL to one key, one method and an expiry.
 */
export const blob = new Hono<AppEnv>();

function keyOf(path: string): string {
  try {
    return decodeURIComponent(path.replace(/^\/api\/blob\//, ''));
  } catch {
    // A link we signed always decodes: this one was cut or edited.
    throw new AppError(ErrorCode.BAD_REQUEST, 'Malformed object path (broken percent-encoding)');
  }
}

blob.on(['GET', 'HEAD'], '/*', async (c) => {
  const key = keyOf(new URL(c.req.url).pathname);
  await verifyBlobSignature(c.env.SIGNING_SECRET, key, 'GET', new URL(c.req.url));
  return serveObject(c.env.MEDIA, key, c.req.raw);
});

blob.put('/*', async (c) => {
  const key = keyOf(new URL(c.req.url).pathname);
  await verifyBlobSignature(c.env.SIGNING_SECRET, key, 'PUT', new URL(c.req.url));
  const length = Number(c.req.header('content-length'));
  if (!Number.isFinite(length) || length <= 0 || !c.req.raw.body) {
    throw new AppError(ErrorCode.BAD_REQUEST, 'PUT needs a non-empty body with Content-Length');
  }
  const contentType = acceptedPutType(c.req.header('content-type'));
  if (!contentType) {
    // Drained first: answering before the body is read makes the dev proxy reset the connection.
    await c.req.raw.body.pipeTo(new WritableStream()).catch(() => undefined);
    throw new AppError(ErrorCode.UNSUPPORTED_MEDIA, 'Only media and caption content types can be stored', {
      accepted: BLOB_PUT_TYPES,
    });
  }
  const fixed = new FixedLengthStream(length);
  const [object] = await Promise.all([
    c.env.MEDIA.put(key, fixed.readable, { httpMetadata: { contentType } }),
    c.req.raw.body.pipeTo(fixed.writable),
  ]);
  return c.json({ code: 0, message: 'ok', data: { key, size: object?.size ?? length, etag: object?.etag ?? null } });
});

export const blobDocs: RouteDoc[] = [
  {
    method: 'head',
    path: '/api/blob/{key}',
    operationId: 'headBlob',
    summary: 'Size and type of an object through a signed GET URL',
    query: SignedQuery,
    empty: true,
    tags: ['blobs'],
  },
  {
    method: 'get',
    path: '/api/blob/{key}',
    operationId: 'getBlob',
    summary: 'Read an object through a signed URL (Range supported: 206 with Content-Range)',
    query: SignedQuery,
    headers: [{ name: 'Range', description: 'bytes=<start>-<end>' }],
    produces: 'application/octet-stream',
    tags: ['blobs'],
  },
  {
    method: 'put',
    path: '/api/blob/{key}',
    operationId: 'putBlob',
    summary: 'Write an object through a signed URL (Content-Length and a media or caption Content-Type required)',
    query: SignedQuery,
    bodies: { 'application/octet-stream': BINARY },
    data: BlobPutData,
    tags: ['blobs'],
  },
];
