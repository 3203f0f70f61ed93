/**
 * Deleting a session deletes everything it made: rows (drafts, chat, media, renders, tus uploads)
 * and R2 objects (uploads, render outputs, captions, tus parts and tail objects, analysis JSON no
 * other session of this user still uses). Renders still running are cancelled first, their credits
 * returned, so nothing is charged for a video nobody can fetch. Share pages then answer 404 (the
 * render row is gone) and signed download links 404 (the object is gone).
 */
import { analysisPrefix, renderInstanceId, renderPrefix } from '../lib/storage-keys.ts';
import { listMedia } from './media.ts';
import { cancelRender, listSessionRenders } from './renders.ts';
import { deleteSessionRows } from './sessions.ts';
import { releaseTusStorage, removeTusUpload, type TusUpload } from './tus-uploads.ts';

export interface SessionLeftovers {
  userId: string;
  keys: string[];
  prefixes: string[];
  tus: TusUpload[];
  /** Engine jobs of renders cancelled here: the caller stops them, best effort. */
  cancelledJobs: string[];
  /** Renders cancelled here: their workflow instances are terminated, best effort. */
  cancelledRenders: string[];
}

/** Runs inside the user's storage transaction: the rows go, what they pointed at is returned. */
export function deleteSessionState(sql: SqlStorage, sessionId: string, nowMs: number): SessionLeftovers {
  const userId = (sql.exec("SELECT v FROM meta WHERE k = 'user_id'").toArray()[0]?.v as string | undefined) ?? '';
  const media = listMedia(sql, sessionId);
  const prefixes: string[] = [];
  for (const m of media) {
    // Analysis is cached per content: keep it while another session still holds the same file.
    const shared = m.content_hash
      ? sql
          .exec('SELECT 1 FROM media WHERE content_hash = ? AND session_id != ? LIMIT 1', m.content_hash, sessionId)
          .toArray().length > 0
      : false;
    if (!shared) prefixes.push(analysisPrefix(m));
  }
  const cancelledJobs: string[] = [];
  const cancelledRenders: string[] = [];
  for (const r of listSessionRenders(sql, sessionId)) {
    const { cancelled } = cancelRender(sql, r.render_id, nowMs, 'The session was deleted; credits returned');
    if (cancelled) cancelledRenders.push(r.render_id);
    if (cancelled && r.job_id) cancelledJobs.push(r.job_id);
    if (userId) prefixes.push(renderPrefix(userId, r.render_id));
  }
  sql.exec('DELETE FROM renders WHERE session_id = ?', sessionId);
  const tus = (sql.exec('SELECT id FROM tus_uploads WHERE session_id = ?', sessionId).toArray() as { id: string }[])
    .map((r) => removeTusUpload(sql, r.id, sessionId))
    .filter((u): u is TusUpload => u !== null);
  // Its previews and a waiting dry-run proposal live under the owner's prefix too.
  if (userId) prefixes.push(`u/${userId}/previews/${sessionId}/`, `u/${userId}/proposals/${sessionId}.json`);
  deleteSessionRows(sql, sessionId);
  return { userId, keys: media.map((m) => m.r2_key), prefixes, tus, cancelledJobs, cancelledRenders };
}

/** Stops the workflows of renders cancelled here, so none keeps polling for a session that is gone. */
export async function terminateCancelled(workflow: Workflow, left: SessionLeftovers): Promise<void> {
  for (const renderId of left.cancelledRenders) {
    const instance = await workflow.get(await renderInstanceId(left.userId, renderId)).catch(() => null);
    await instance?.terminate().catch(() => undefined);
  }
}

/** After the transaction: removes the objects. Returns how many were deleted. */
export async function deleteSessionObjects(bucket: R2Bucket, left: SessionLeftovers): Promise<number> {
  const keys = [...left.keys];
  for (const prefix of left.prefixes) {
    let cursor: string | undefined;
    do {
      const page = await bucket.list({ prefix, cursor });
      keys.push(...page.objects.map((o) => o.key));
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
  }
  for (let i = 0; i < keys.length; i += 1000) await bucket.delete(keys.slice(i, i + 1000));
  for (const u of left.tus) await releaseTusStorage(bucket, left.userId, u);
  return keys.length;
}
