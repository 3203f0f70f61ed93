import type { Context } from 'hono';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { publicMedia } from '../durable/media.ts';
import { releaseTusStorage } from '../durable/tus-uploads.ts';
import type { AppEnv } from '../lib/app-env.ts';
import { ok } from '../lib/envelope.ts';
import { AppError, ErrorCode } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { publicOrigin } from '../lib/signing.ts';
import { drainBody } from '../uploads/body.ts';
import { MAX_UPLOAD_BYTES, tooLarge, unsupported } from '../uploads/limits.ts';
import { displayName, mediaKey } from '../uploads/names.ts';
import { prewarmAnalysis } from '../uploads/prewarm.ts';
import { completeTusUpload } from '../uploads/tus-complete.ts';
import {
  byteCountHeader,
  parseUploadMetadata,
  TUS_CONTENT_TYPE,
  TUS_VERSION,
  tusDiscoveryHeaders,
  tusProtocolError,
} from '../uploads/tus-protocol.ts';
import { TusPatchWriter } from '../uploads/tus-writer.ts';
import { requireAuth } from './require-auth.ts';

type Ctx = Context<AppEnv>;

const CREATE = '/nemo_agent/me/:sid/tus';
/** Names and types only: anything bigger is not metadata we would keep. */
const MAX_METADATA_CHARS = 4096;
const UPLOAD = `${CREATE}/:upload_id`;

export const tus = new Hono<AppEnv>();

/** Every tus answer carries Tus-Resumable; every tus request must (OPTIONS and our GET excepted), else 412. */
const tusResumable = createMiddleware<AppEnv>(async (c, next) => {
  const method = c.req.method;
  if (method !== 'OPTIONS' && method !== 'GET' && c.req.header('tus-resumable') !== TUS_VERSION) {
    await drainBody(c.req.raw);
    return tusProtocolError(412, `This server speaks tus ${TUS_VERSION}: send Tus-Resumable: ${TUS_VERSION}`, {
      'Tus-Version': TUS_VERSION,
    });
  }
  await next();
  c.res.headers.set('Tus-Resumable', TUS_VERSION);
});
tus.use(CREATE, tusResumable);
tus.use(UPLOAD, tusResumable);

/**
 * tus discovery (OPTIONS) is answered by the CORS layer's preflight answer, which never reaches
 * this sub-app: index.ts registers this before the CORS middleware so the tus headers join it.
 */
export const tusDiscovery = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.req.method !== 'OPTIONS' || !/\/nemo_agent\/me\/[^/]+\/tus(\/[^/]+)?\/?$/.test(c.req.path)) return;
  for (const [k, v] of Object.entries({ ...tusDiscoveryHeaders(), 'Tus-Resumable': TUS_VERSION }))
    c.res.headers.set(k, v);
});

tus.post(CREATE, requireAuth, async (c) => {
  await drainBody(c.req.raw); // creation-with-upload is not offered: a body here carries nothing we keep
  if (c.req.header('upload-defer-length') !== undefined)
    throw new AppError(ErrorCode.BAD_REQUEST, 'Upload-Defer-Length is not supported: send Upload-Length');
  const length = byteCountHeader(c.req.header('upload-length'));
  if (length === null) throw new AppError(ErrorCode.BAD_REQUEST, 'Upload-Length is required (the file size in bytes)');
  const rawMetadata = c.req.header('upload-metadata')?.trim() || null;
  if (rawMetadata && rawMetadata.length > MAX_METADATA_CHARS)
    throw new AppError(ErrorCode.BAD_REQUEST, `Upload-Metadata is limited to ${MAX_METADATA_CHARS} characters`);
  const metadata = parseUploadMetadata(rawMetadata ?? undefined);
  // `filetype` is read but not trusted: the content decides the type, as on the other upload routes.
  const name = displayName(metadata.filename ?? metadata.name);
  if (length > MAX_UPLOAD_BYTES) throw tooLarge(name);
  if (length === 0) throw unsupported(name, 'file is empty (0 bytes)');
  const id = newId('tus');
  const mediaId = newId('med');
  const sid = c.req.param('sid');
  await c.var.user.tusCreate({
    id,
    session_id: sid,
    name,
    length,
    media_id: mediaId,
    r2_key: mediaKey(c.var.userId, mediaId, name),
    metadata: rawMetadata,
  });
  const location = `${publicOrigin(c.env, c.req.url)}${new URL(c.req.url).pathname.replace(/\/$/, '')}/${id}`;
  return c.body(null, 201, { Location: location, 'Upload-Offset': '0', 'Cache-Control': 'no-store' });
});

// Hono answers HEAD with this GET handler (body dropped); c.req.method still says HEAD.
tus.get(UPLOAD, requireAuth, async (c) => {
  const sid = c.req.param('sid');
  const upload = await c.var.user.tusGet(sid, c.req.param('upload_id'));
  const headers: Record<string, string> = {
    'Upload-Offset': String(upload.upload_offset),
    'Upload-Length': String(upload.length),
    'Cache-Control': 'no-store',
  };
  if (upload.metadata) headers['Upload-Metadata'] = upload.metadata;
  if (upload.done_media_id) headers['Upload-Media-Id'] = upload.done_media_id;
  if (c.req.method === 'HEAD') return c.body(null, 200, headers);
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
  const media = upload.done_media_id ? await c.var.user.getMedia(sid, upload.done_media_id) : null;
  return ok(
    c,
    { media: media ? [publicMedia(media)] : [] },
    upload.done_media_id ? 'Upload complete' : 'Upload in progress',
  );
});

tus.patch(UPLOAD, requireAuth, (c) => patchUpload(c));
tus.delete(UPLOAD, requireAuth, (c) => terminateUpload(c));

/** tus clients behind proxies that drop PATCH/DELETE send POST with X-HTTP-Method-Override. */
tus.post(UPLOAD, requireAuth, async (c) => {
  const override = c.req.header('x-http-method-override')?.toUpperCase();
  if (override === 'PATCH') return patchUpload(c);
  if (override === 'DELETE') return terminateUpload(c);
  await drainBody(c.req.raw);
  throw new AppError(ErrorCode.BAD_REQUEST, 'POST to an upload needs X-HTTP-Method-Override: PATCH or DELETE');
});

async function patchUpload(c: Ctx): Promise<Response> {
  const contentType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType !== TUS_CONTENT_TYPE) {
    await drainBody(c.req.raw);
    return tusProtocolError(415, `PATCH bodies must be sent as Content-Type: ${TUS_CONTENT_TYPE}`);
  }
  const offset = byteCountHeader(c.req.header('upload-offset'));
  if (offset === null) {
    await drainBody(c.req.raw);
    throw new AppError(ErrorCode.BAD_REQUEST, 'Upload-Offset is required (the offset this body starts at)');
  }
  const sid = c.req.param('sid')!;
  let writer: TusPatchWriter;
  try {
    writer = await TusPatchWriter.open(c.env, c.var.user, c.var.userId, sid, c.req.param('upload_id')!, offset);
  } catch (err) {
    await drainBody(c.req.raw);
    throw err;
  }
  const reader = c.req.raw.body?.getReader();
  let bodyBroke = false;
  const next = () =>
    reader?.read().catch((err: unknown) => {
      bodyBroke = true;
      throw err;
    });
  try {
    for (let r = await next(); r && !r.done; r = await next()) await writer.write(r.value);
  } catch (err) {
    reader?.releaseLock();
    await drainBody(c.req.raw);
    if (err instanceof AppError && err.code === ErrorCode.UNSUPPORTED_MEDIA) await writer.abandon();
    // A broken body (client gone) or an overflow: what arrived in order is kept for the resume.
    else await writer.saveTail().catch(() => {});
    // The client is usually gone by now; an expected event, not a logged internal error.
    if (bodyBroke)
      throw new AppError(ErrorCode.BAD_REQUEST, 'The request body broke off: HEAD for the stored offset, then resume');
    throw err;
  }
  if (!writer.reachedEnd) {
    await writer.saveTail();
    return c.body(null, 204, { 'Upload-Offset': String(writer.offset) });
  }
  const record = await completeTusUpload(c.env, c.req.url, writer);
  const { language } = await c.var.user.getSession(sid);
  prewarmAnalysis(c.env, c.executionCtx, publicOrigin(c.env, c.req.url), [record], language);
  return c.body(null, 204, { 'Upload-Offset': String(record.size), 'Upload-Media-Id': record.media_id });
}

async function terminateUpload(c: Ctx): Promise<Response> {
  await drainBody(c.req.raw);
  const upload = await c.var.user.tusRemove(c.req.param('upload_id')!, c.req.param('sid')!);
  if (upload) await releaseTusStorage(c.env.MEDIA, c.var.userId, upload);
  return c.body(null, 204);
}

export { tusDocs } from './tus-docs.ts';
