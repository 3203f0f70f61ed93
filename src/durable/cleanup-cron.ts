import { USER_ID_PATTERN } from '../lib/auth.ts';
import { CLEANUP_INDEX_PREFIX, type CleanupState, isoDay } from './cleanup.ts';
import { userStub } from './user-stub.ts';

/** Bounds one cron run; whatever is left waits for the next tick (and each object's own alarm). */
export const CRON_MAX_USERS = 200;

export interface CronReport {
  visited: number;
  states: Partial<Record<CleanupState, number>>;
  revoked: number;
}

/**
 * The cron walks only the cleanup index (`index/cleanup/<due day>/<userId>`, one marker per
 * user, written by the user's own object) for days that have come, and asks each object to
 * clean up. The object decides: a user who minted a token since is live and keeps everything
 * (its marker moves to the new due day). The cron never lists user data.
 */
export async function runCleanupCron(env: Env, nowMs = Date.now()): Promise<CronReport> {
  const today = isoDay(nowMs);
  const report: CronReport = { visited: 0, states: {}, revoked: 0 };
  let cursor: string | undefined;
  while (report.visited < CRON_MAX_USERS) {
    const page = await env.MEDIA.list({ prefix: CLEANUP_INDEX_PREFIX, cursor, limit: 100 });
    for (const obj of page.objects) {
      const [day, userId] = obj.key.slice(CLEANUP_INDEX_PREFIX.length).split('/');
      if (!day || day > today) return report;
      if (!userId || !USER_ID_PATTERN.test(userId)) {
        await env.MEDIA.delete(obj.key);
        continue;
      }
      const result = await userStub(env, userId).runCleanup(nowMs);
      report.visited++;
      report.revoked += result.revoked;
      report.states[result.state] = (report.states[result.state] ?? 0) + 1;
      // A marker the object no longer claims (it moved on, or it is gone) is stale.
      if (result.indexKey !== obj.key && result.state !== 'purging') await env.MEDIA.delete(obj.key);
      if (report.visited >= CRON_MAX_USERS) return report;
    }
    if (!page.truncated) break;
    cursor = page.cursor;
  }
  return report;
}
