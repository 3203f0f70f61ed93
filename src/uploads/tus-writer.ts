import type { MediaRecord, NewMedia } from '../durable/media.ts';
import {
  releaseTusStorage,
  TUS_HEARTBEAT_MS,
  type TusProgress,
  type TusUpload,
  tusTempPrefix,
} from '../durable/tus-uploads.ts';
import type { UserClient } from '../durable/user-stub.ts';
import type { ProbeResult } from '../lib/engine-protocol.ts';
import { AppError, ErrorCode } from '../lib/errors.ts';
import { HEAD_BYTES, PART_BYTES, unsupported } from './limits.ts';
import { sniff } from './sniff.ts';

type User = UserClient;

/**
 * The bytes of one PATCH on their way into R2. The file goes into one R2 multipart upload in
 * fixed PART_BYTES parts (R2 wants every part but the last the same size); what does not fill a
 * part is carried to the next PATCH in a temporary object, so a PATCH of any size works.
 *
 * After every part the state is saved (offset = whole parts, no tail), so a request that dies
 * without warning loses at most the part being filled; a body that ends or breaks saves its tail.
 */
export class TusPatchWriter {
  private readonly buffer = new Uint8Array(PART_BYTES);
  private fill = 0;
  private readonly state: TusProgress;
  private multipart: R2MultipartUpload | null = null;
  /** The tail object this PATCH started from, until a saved state no longer refers to it. */
  private oldTail: string | null;
  private lastBeatMs = Date.now();

  private constructor(
    private readonly bucket: R2Bucket,
    private readonly user: User,
    private readonly userId: string,
    readonly upload: TusUpload,
    readonly lockToken: string,
  ) {
    const { upload_offset, multipart_id, parts, tail_key, mime, kind } = upload;
    this.state = { upload_offset, multipart_id, parts: [...parts], tail_key, mime, kind };
    this.oldTail = tail_key;
  }

  /** Takes the upload's hold at `offset` (409 when it does not match or another PATCH holds it) and loads the tail. */
  static async open(env: Env, user: User, userId: string, sessionId: string, uploadId: string, offset: number) {
    const lockToken = crypto.randomUUID();
    const upload = await user.tusBeginPatch(sessionId, uploadId, offset, lockToken);
    const writer = new TusPatchWriter(env.MEDIA, user, userId, upload, lockToken);
    try {
      await writer.loadTail();
    } catch (err) {
      await writer.save(true).catch(() => {});
      throw err;
    }
    return writer;
  }

  private async loadTail(): Promise<void> {
    if (!this.state.tail_key) return;
    const tail = await this.bucket.get(this.state.tail_key);
    if (!tail) throw new AppError(ErrorCode.INTERNAL, `Stored upload tail ${this.state.tail_key} is missing`);
    const bytes = new Uint8Array(await tail.arrayBuffer());
    this.buffer.set(bytes);
    this.fill = bytes.length;
  }

  /** Bytes of the file received and accepted so far (durable or still in the part buffer). */
  get offset(): number {
    return this.state.parts.length * PART_BYTES + this.fill;
  }

  get reachedEnd(): boolean {
    return this.offset === this.upload.length;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (Date.now() - this.lastBeatMs >= TUS_HEARTBEAT_MS) {
      await this.user.tusTouch(this.upload.id, this.lockToken);
      this.lastBeatMs = Date.now();
    }
    if (this.offset + chunk.length > this.upload.length)
      throw new AppError(
        ErrorCode.BAD_REQUEST,
        `The body goes past Upload-Length (${this.upload.length} bytes); bytes up to offset ${this.offset} were kept`,
      );
    let at = 0;
    while (at < chunk.length) {
      const take = Math.min(PART_BYTES - this.fill, chunk.length - at);
      this.buffer.set(chunk.subarray(at, at + take), this.fill);
      this.fill += take;
      at += take;
      this.checkType();
      // A full buffer holding the file's last byte is left for `finishObject`: the part that completes
      // the file is written only together with the multipart completion.
      if (this.fill === PART_BYTES && !this.reachedEnd) await this.flushPart(true);
    }
  }

  /** Sniffs the first bytes as soon as they are all here, before anything of the file is a part. */
  private checkType(): void {
    if (this.state.mime || this.state.parts.length > 0) return;
    if (this.fill < Math.min(HEAD_BYTES, this.upload.length)) return;
    const type = sniff(this.buffer.subarray(0, Math.min(this.fill, HEAD_BYTES)));
    if (!type) throw unsupported(this.upload.name, 'content is not a supported video, image or audio file');
    this.state.mime = type.mime;
    this.state.kind = type.kind;
  }

  /** The file's multipart upload: resumed from an earlier PATCH, or started with the first part. */
  private async openMultipart(): Promise<R2MultipartUpload> {
    if (this.multipart) return this.multipart;
    const mime = this.state.mime ?? 'application/octet-stream';
    this.multipart = this.state.multipart_id
      ? this.bucket.resumeMultipartUpload(this.upload.r2_key, this.state.multipart_id)
      : await this.bucket.createMultipartUpload(this.upload.r2_key, { httpMetadata: { contentType: mime } });
    this.state.multipart_id = this.multipart.uploadId;
    return this.multipart;
  }

  private async flushPart(saveAfter: boolean): Promise<void> {
    const multipart = await this.openMultipart();
    const partNumber = this.state.parts.length + 1;
    const part = await multipart.uploadPart(partNumber, this.buffer.subarray(0, this.fill));
    this.state.parts.push({ partNumber, etag: part.etag });
    this.fill = 0;
    if (!saveAfter) return;
    this.state.upload_offset = this.offset;
    this.state.tail_key = null;
    await this.save(false);
  }

  /** Saves the state (tail included) and, with `release`, lets go of the upload. */
  async save(release: boolean): Promise<void> {
    await this.user.tusSaveProgress(this.upload.id, this.lockToken, this.state, release);
    if (this.oldTail && this.oldTail !== this.state.tail_key) {
      await this.bucket.delete(this.oldTail);
      this.oldTail = null;
    }
  }

  /** End of a PATCH that did not reach the last byte: the tail goes into a temporary object, then the state. */
  async saveTail(): Promise<void> {
    // A PATCH that brought nothing keeps the tail it found; otherwise a key of its own (offset and hold),
    // so a PATCH that lost its hold can delete what it wrote without touching the new holder's tail.
    const unchanged = this.offset === this.upload.upload_offset;
    const tailKey =
      this.fill === 0
        ? null
        : unchanged
          ? this.oldTail
          : `${tusTempPrefix(this.userId, this.upload.id)}tail-${this.offset}-${this.lockToken}`;
    if (tailKey && tailKey !== this.oldTail) await this.bucket.put(tailKey, this.buffer.subarray(0, this.fill));
    this.state.tail_key = tailKey;
    this.state.upload_offset = this.offset;
    try {
      await this.save(true);
    } catch (err) {
      // Terminated meanwhile (404): nothing of ours may stay. Taken over (409): only our new tail goes.
      if (err instanceof AppError && err.code === ErrorCode.NOT_FOUND)
        await releaseTusStorage(this.bucket, this.userId, { ...this.upload, ...this.state, done_media_id: null });
      else if (tailKey && tailKey !== this.oldTail) await this.bucket.delete(tailKey);
      throw err;
    }
  }

  /** The last byte is here: the final part goes up and the object is committed under its media key. */
  async finishObject(): Promise<void> {
    const mime = this.state.mime ?? 'application/octet-stream';
    if (this.state.parts.length === 0 && !this.state.multipart_id) {
      await this.bucket.put(this.upload.r2_key, this.buffer.subarray(0, this.fill), {
        httpMetadata: { contentType: mime },
      });
      this.fill = 0;
      return;
    }
    if (this.fill > 0) await this.flushPart(false);
    await (await this.openMultipart()).complete(this.state.parts);
  }

  /** Records the media row (and the upload as done) in one transaction, then drops the carried tail. */
  async complete(media: NewMedia, probe: ProbeResult | null): Promise<MediaRecord> {
    const record = await this.user.tusComplete(this.upload.id, this.lockToken, media, probe);
    // The row is in: a failure from here on must not undo the upload (the alarm's sweep retries).
    try {
      const temp = await this.bucket.list({ prefix: tusTempPrefix(this.userId, this.upload.id) });
      if (temp.objects.length) await this.bucket.delete(temp.objects.map((o) => o.key));
    } catch (err) {
      console.warn(JSON.stringify({ level: 'warn', msg: 'tus tail not removed', error: String(err) }));
    }
    return record;
  }

  /** Refused (content, structure, probe) or terminated: the upload and everything it stored go. */
  async abandon(): Promise<void> {
    await this.user.tusRemove(this.upload.id, null).catch(() => {});
    await releaseTusStorage(this.bucket, this.userId, { ...this.upload, ...this.state, done_media_id: null });
  }
}
