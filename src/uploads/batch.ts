import type { MediaRecord, NewMedia } from '../durable/media.ts';
import type { UserClient } from '../durable/user-stub.ts';
import { hasEngine, probeMedia, UnreadableMediaError } from '../lib/engine-client.ts';
import type { ProbeResult } from '../lib/engine-protocol.ts';
import { newId } from '../lib/ids.ts';
import { publicOrigin, signBlobUrl } from '../lib/signing.ts';
import type { Inspected } from './inspector.ts';
import { unsupported } from './limits.ts';
import { mediaKey } from './names.ts';
import { type ChunkSource, ingest } from './r2-sink.ts';

interface Stored {
  mediaId: string;
  key: string;
  name: string;
  file: Inspected;
}

type Ctx = { env: Env; userId: string; user: UserClient; requestUrl: string };

/**
 * The files of one upload request, all or nothing: objects are stored as they stream in, rows
 * are added only once every file has been stored and probed. On failure `discard` deletes the
 * objects already stored, so a failed request leaves neither objects nor rows.
 */
export class UploadBatch {
  private readonly stored: Stored[] = [];

  constructor(private readonly ctx: Ctx) {}

  get count(): number {
    return this.stored.length;
  }

  async add(name: string, next: ChunkSource, knownLength: number | null): Promise<void> {
    const mediaId = newId('med');
    const key = mediaKey(this.ctx.userId, mediaId, name);
    const file = await ingest(this.ctx.env.MEDIA, key, name, next, knownLength);
    this.stored.push({ mediaId, key, name, file });
  }

  /** Probes every stored file (when an engine is configured), then records them in one transaction. */
  async commit(sessionId: string): Promise<MediaRecord[]> {
    const items: { media: NewMedia; probe: ProbeResult | null }[] = [];
    for (const s of this.stored) {
      const media = {
        media_id: s.mediaId,
        name: s.name,
        kind: s.file.kind,
        mime: s.file.mime,
        size: s.file.size,
        r2_key: s.key,
        content_hash: s.file.contentHash,
      };
      items.push({ media, probe: await this.probe(s) });
    }
    return this.ctx.user.addMediaBatch(sessionId, items);
  }

  private async probe(s: Stored): Promise<ProbeResult | null> {
    const { env, requestUrl } = this.ctx;
    if (!hasEngine(env)) return null;
    const url = await signBlobUrl(env.SIGNING_SECRET, publicOrigin(env, requestUrl), s.key, 'GET');
    try {
      return await probeMedia(env, url);
    } catch (err) {
      if (err instanceof UnreadableMediaError) throw unsupported(s.name, `the media engine refused it: ${err.message}`);
      throw err;
    }
  }

  async discard(): Promise<void> {
    const keys = this.stored.splice(0).map((s) => s.key);
    if (keys.length) await this.ctx.env.MEDIA.delete(keys);
  }
}
