import type { MediaRecord } from '../durable/media.ts';
import { hasEngine, probeMedia, UnreadableMediaError } from '../lib/engine-client.ts';
import { AppError, ErrorCode } from '../lib/errors.ts';
import { publicOrigin, signBlobUrl } from '../lib/signing.ts';
import { readerSource } from './body.ts';
import { type Inspected, Inspector } from './inspector.ts';
import { unsupported } from './limits.ts';
import { coalesced } from './r2-sink.ts';
import type { TusPatchWriter } from './tus-writer.ts';

/**
 * The last byte of a tus upload has arrived: commit the object, then judge it as the other upload
 * routes do (type, structure, SHA-256, probe) and add its media row. The checks read the stored
 * object back once: cheaper and simpler than carrying checker and hash state across PATCHes.
 * A refusal removes the object and the upload.
 */
export async function completeTusUpload(env: Env, requestUrl: string, writer: TusPatchWriter): Promise<MediaRecord> {
  const { upload } = writer;
  try {
    await writer.finishObject();
    const file = await inspectStored(env.MEDIA, upload.r2_key, upload.name);
    if (file.size !== upload.length)
      throw new AppError(ErrorCode.INTERNAL, `Stored ${file.size} bytes for an upload of ${upload.length}`);
    const probe = await probeStored(env, requestUrl, upload.r2_key, upload.name);
    const media = {
      media_id: upload.media_id,
      name: upload.name,
      kind: file.kind,
      mime: file.mime,
      size: file.size,
      r2_key: upload.r2_key,
      content_hash: file.contentHash,
    };
    return await writer.complete(media, probe);
  } catch (err) {
    await writer
      .abandon()
      .catch((cleanup) =>
        console.error(JSON.stringify({ level: 'error', msg: 'tus cleanup failed', error: String(cleanup) })),
      );
    throw err;
  }
}

async function inspectStored(bucket: R2Bucket, key: string, name: string): Promise<Inspected> {
  const object = await bucket.get(key);
  if (!object) throw new AppError(ErrorCode.INTERNAL, `The completed upload ${key} is missing from storage`);
  const inspector = new Inspector(name);
  const reader = object.body.getReader();
  try {
    const read = coalesced(readerSource(reader));
    for (let chunk = await read(); chunk; chunk = await read()) await inspector.push(chunk);
    return await inspector.finish();
  } catch (err) {
    inspector.abort();
    await reader.cancel().catch(() => {});
    throw err;
  }
}

/** As for the other routes: null without an engine or when it is unreachable, 4001 when it cannot read the file. */
async function probeStored(env: Env, requestUrl: string, key: string, name: string) {
  if (!hasEngine(env)) return null;
  const url = await signBlobUrl(env.SIGNING_SECRET, publicOrigin(env, requestUrl), key, 'GET');
  try {
    return await probeMedia(env, url);
  } catch (err) {
    if (err instanceof UnreadableMediaError) throw unsupported(name, `the media engine refused it: ${err.message}`);
    throw err;
  }
}
