import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { publicMedia } from '../durable/media.ts';
import type { AppEnv } from '../lib/app-env.ts';
import { ok } from '../lib/envelope.ts';
import { AppError, ErrorCode } from '../lib/errors.ts';
import { BINARY, type RouteDoc } from '../lib/openapi-registry.ts';
import { fetchOutbound } from '../lib/outbound-url.ts';
import { publicOrigin } from '../lib/signing.ts';
import { parseJson } from '../lib/validate.ts';
import { UploadBatch } from '../uploads/batch.ts';
import { drainBody, readerSource } from '../uploads/body.ts';
import { ACCEPTED_EXTENSIONS, MAX_UPLOAD_BYTES, tooLarge, unsupported } from '../uploads/limits.ts';
import { eachFilePart } from '../uploads/multipart-form.ts';
import { displayName, formFileName, nameFromDownload, safeDecode } from '../uploads/names.ts';
import { prewarmAnalysis } from '../uploads/prewarm.ts';
import { requireAuth } from './require-auth.ts';

const MAX_FILES_PER_REQUEST = 20;
const URL_FETCH_TIMEOUT_MS = 10 * 60_000;

export const UploadUrlBody = z.object({ url: z.string().url().describe('http(s) URL of the file to fetch') });
export const UploadedMedia = z.object({
  media_id: z.string(),
  name: z.string(),
  kind: z.enum(['video', 'image', 'audio']),
  size: z.number().int(),
  duration_ms: z.number().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  fps: z.number().nullable(),
  has_audio: z.boolean().nullable(),
});
export const UploadData = z.object({ media: z.array(UploadedMedia) });

type Ctx = Context<AppEnv>;

export const uploads = new Hono<AppEnv>();

uploads.post('/nemo_agent/me/:sid', requireAuth, (c) =>
  withBatch(c, async (batch) => {
    const type = c.req.header('content-type') ?? '';
    if (/^multipart\/form-data/i.test(type)) return fromMultipart(c, batch);
    if (/^application\/json/i.test(type)) return fromUrl(c, batch);
    throw new AppError(
      ErrorCode.BAD_REQUEST,
      'Send multipart/form-data with `file` fields, JSON {"url": "https://..."}, or PUT the bytes to .../raw',
    );
  }),
);

uploads.put('/nemo_agent/me/:sid/raw', requireAuth, (c) =>
  withBatch(c, async (batch) => {
    const name = displayName(safeDecode(c.req.header('x-file-name') ?? ''));
    const length = declaredLength(c.req.header('content-length'));
    if (length === null || !c.req.raw.body)
      throw new AppError(ErrorCode.BAD_REQUEST, 'PUT .../raw needs a Content-Length header');
    if (length === 0) throw unsupported(name, 'file is empty (0 bytes)');
    if (length > MAX_UPLOAD_BYTES) throw tooLarge(name);
    const reader = c.req.raw.body.getReader();
    try {
      await batch.add(name, readerSource(reader), length);
    } finally {
      reader.releaseLock(); // so a refusal can drain what is left
    }
  }),
);

/** Runs one upload request: session check first, then the files, then probes and rows, all or nothing. */
async function withBatch(c: Ctx, fill: (batch: UploadBatch) => Promise<void>) {
  const sid = c.req.param('sid')!;
  const batch = new UploadBatch({ env: c.env, userId: c.var.userId, user: c.var.user, requestUrl: c.req.url });
  try {
    const session = await c.var.user.getSession(sid);
    await fill(batch);
    if (batch.count === 0)
      throw new AppError(ErrorCode.BAD_REQUEST, 'No file in the request: send one or more `file` fields');
    const records = await batch.commit(sid);
    prewarmAnalysis(c.env, c.executionCtx, publicOrigin(c.env, c.req.url), records, session.language);
    return ok(
      c,
      { media: records.map(publicMedia) },
      `Uploaded ${records.length} file${records.length === 1 ? '' : 's'}`,
    );
  } catch (err) {
    // The answer is the original error; a failed cleanup is logged, never allowed to replace it.
    await batch
      .discard()
      .catch((cleanup) =>
        console.error(JSON.stringify({ level: 'error', msg: 'upload cleanup failed', error: String(cleanup) })),
      );
    // A body declared over the limit is left unread, not drained: reading 500 MB just to say no is waste.
    const oversized = (declaredLength(c.req.header('content-length')) ?? 0) > MAX_UPLOAD_BYTES;
    await drainBody(c.req.raw, oversized ? 0 : undefined);
    throw err;
  }
}

function declaredLength(header: string | undefined): number | null {
  if (header === undefined || !/^\d+$/.test(header.trim())) return null;
  return Number(header);
}

async function fromMultipart(c: Ctx, batch: UploadBatch): Promise<void> {
  let files = 0;
  await eachFilePart(c.req.raw, async (part) => {
    if (++files > MAX_FILES_PER_REQUEST)
      throw new AppError(ErrorCode.BAD_REQUEST, `At most ${MAX_FILES_PER_REQUEST} files per request`);
    await batch.add(displayName(formFileName(part.filename)), part.next, null);
  });
}

async function fromUrl(c: Ctx, batch: UploadBatch): Promise<void> {
  const { url } = await parseJson(c, UploadUrlBody);
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new AppError(
      ErrorCode.BAD_REQUEST,
      `Invalid body: field \`url\`: only http and https URLs can be fetched, not ${target.protocol}`,
    );
  }
  // Public addresses only, redirects checked hop by hop, one message for every refusal (outbound-url.ts).
  const res = await fetchOutbound('url', url, {
    signal: AbortSignal.timeout(URL_FETCH_TIMEOUT_MS),
    allowPrivate: c.env.ALLOW_PRIVATE_OUTBOUND === '1',
  });
  const name = nameFromDownload(target, res.headers.get('content-disposition'));
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new AppError(ErrorCode.BAD_REQUEST, `Could not fetch ${name}: the server answered HTTP ${res.status}`);
  }
  // A compressed transfer's Content-Length counts compressed bytes, not the file's.
  const length = res.headers.get('content-encoding')
    ? null
    : declaredLength(res.headers.get('content-length') ?? undefined);
  if (length !== null && length > MAX_UPLOAD_BYTES) {
    await res.body.cancel();
    throw tooLarge(name);
  }
  const reader = res.body.getReader();
  try {
    await batch.add(name, readerSource(reader), length);
  } finally {
    await reader.cancel().catch(() => {});
  }
}

const errors = `Errors: 1001 no or bad token; 1002 session not found; 4001 unsupported or incomplete content (data.accepted lists ${ACCEPTED_EXTENSIONS.join(', ')}); 4002 over ${MAX_UPLOAD_BYTES} bytes (data.max_bytes); 400 malformed request.`;

export const uploadDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/upload-video/nemo_agent/me/{sid}',
    operationId: 'uploadMedia',
    // Multipart as the contract's form: a generated client sends an object with Blob fields (repeat `file` for more).
    bodies: {
      'multipart/form-data': {
        type: 'object',
        properties: { file: { ...BINARY, description: 'the file; repeat the field for several files' } },
        required: ['file'],
      },
    },
    summary: `Upload media: multipart/form-data with one or more \`file\` fields (streamed), or JSON {"url"} to fetch. Type checked by content. All or nothing per request. ${errors}`,
    auth: true,
    body: UploadUrlBody,
    bodyType: 'application/json',
    data: UploadData,
    tags: ['media'],
  },
  {
    method: 'put',
    path: '/api/upload-video/nemo_agent/me/{sid}/raw',
    operationId: 'uploadRaw',
    // Content-Length is required too, but it is not a parameter: HTTP clients set it from the body.
    headers: [{ name: 'X-File-Name', description: 'The file name, percent-encoded when not ASCII' }],
    summary: `Upload one file as the raw request body (Content-Length required, name in X-File-Name): the cheapest path into R2. ${errors}`,
    auth: true,
    bodies: { 'application/octet-stream': BINARY },
    data: UploadData,
    tags: ['media'],
  },
];
