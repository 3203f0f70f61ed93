/** `openedit sessions` lists your sessions; `openedit sessions rm <id>` deletes one. */
import { type Ctx, printJson } from '../context.ts';
import { UsageError } from '../errors.ts';

interface SessionRow {
  session_id: string;
  task_name: string;
  language: string;
  created_at: number;
  updated_at: number;
  draft_version: number;
}

const when = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/:\d\d\.\d+Z$/, 'Z');

export async function sessionsCommand(ctx: Ctx, positionals: string[]): Promise<void> {
  const [sub, id] = positionals;
  if (sub === 'rm' || sub === 'delete') {
    if (!id) throw new UsageError('sessions rm needs a session id');
    const data = await ctx.api.request<unknown>('DELETE', `/api/sessions/${encodeURIComponent(id)}`);
    ctx.store.forgetSession(ctx.api.baseUrl, id);
    if (ctx.opts.json) printJson(ctx, data ?? { deleted: id });
    else ctx.out(`Deleted session ${id}\n`);
    return;
  }
  if (sub !== undefined) throw new UsageError(`unknown sessions subcommand "${sub}" (use: sessions, sessions rm <id>)`);
  const { sessions } = await ctx.api.get<{ sessions: SessionRow[] }>('/api/sessions');
  if (ctx.opts.json) {
    printJson(ctx, sessions);
    return;
  }
  if (sessions.length === 0) {
    ctx.out('No sessions yet: start one with `openedit edit clip.mp4 "…"` or `openedit chat`\n');
    return;
  }
  const last = ctx.store.lastSession(ctx.api.baseUrl);
  for (const s of sessions) {
    ctx.out(
      `${s.session_id === last ? '*' : ' '} ${s.session_id}  ${when(s.updated_at)}  v${s.draft_version}  ${s.task_name} (${s.language})\n`,
    );
  }
}
