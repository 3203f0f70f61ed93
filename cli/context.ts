/** What every command gets: the API client, the config store, the flags and where to write. */

import type { Api } from './api-client.ts';
import type { Options } from './args.ts';
import type { ConfigStore } from './config.ts';
import { UsageError } from './errors.ts';
import type { BarStream } from './progress.ts';

export interface Ctx {
  api: Api;
  store: ConfigStore;
  opts: Options;
  /** stdout: results (the reply, the saved paths, or one JSON document with --json). */
  out: (text: string) => void;
  /** stderr: progress and notes. */
  err: BarStream;
  signal: AbortSignal;
}

export const note = (ctx: Ctx, line: string) => {
  if (!ctx.opts.quiet || ctx.opts.json) ctx.err.write(`${line}\n`);
};

export function printJson(ctx: Ctx, value: unknown): void {
  ctx.out(`${JSON.stringify(value, null, 2)}\n`);
}

/** An explicit session id, "last" (the one this machine used last on this service), or the last one by default. */
export function existingSession(ctx: Ctx): string {
  const wanted = ctx.opts.session;
  const id = wanted && wanted !== 'last' ? wanted : ctx.store.lastSession(ctx.api.baseUrl);
  if (!id)
    throw new UsageError(
      'no session yet: pass --session <id> (see `openedit sessions`) or start one with `openedit edit`',
    );
  return id;
}

export async function createSession(ctx: Ctx, taskName = 'project'): Promise<string> {
  const data = await ctx.api.post<{ session_id: string; task_id: string }>('/api/tasks/me/with-session/nemo_agent', {
    task_name: taskName,
    language: ctx.opts.language ?? 'en',
  });
  ctx.store.rememberSession(ctx.api.baseUrl, data.session_id);
  return data.session_id;
}

/** --session given → that one (remembered as last); otherwise a new session. */
export async function sessionForWork(ctx: Ctx, taskName: string): Promise<string> {
  if (ctx.opts.session) {
    const id = existingSession(ctx);
    ctx.store.rememberSession(ctx.api.baseUrl, id);
    return id;
  }
  return createSession(ctx, taskName);
}
