/** `openedit status`: is the service up, who am I, how many credits, and (with a session) its timeline. */
import { decodeEnvelope } from '../api-client.ts';
import { type Ctx, printJson } from '../context.ts';
import { summarizeDraft } from '../summary.ts';
import type { Balance } from './credits.ts';
import { fetchDraft } from './render-flow.ts';

export async function statusCommand(ctx: Ctx): Promise<void> {
  const health = await decodeEnvelope<{ status: string; engine: string }>(await ctx.api.fetch('/health'));
  const balance = await ctx.api.get<Balance>('/api/credits/balance/simple');
  const sessionId =
    ctx.opts.session && ctx.opts.session !== 'last' ? ctx.opts.session : ctx.store.lastSession(ctx.api.baseUrl);
  const state = sessionId ? await fetchDraft(ctx, sessionId).catch(() => null) : null;
  if (ctx.opts.json) {
    printJson(ctx, { base_url: ctx.api.baseUrl, health, credits: balance, session_id: sessionId ?? null, state });
    return;
  }
  ctx.out(`Service ${ctx.api.baseUrl}: ${health.status}, engine ${health.engine}\n`);
  ctx.out(`Credits: ${balance.available} available, ${balance.frozen} frozen\n`);
  if (!sessionId) return;
  if (!state) {
    ctx.out(`Session ${sessionId}: not found\n`);
    return;
  }
  ctx.out(
    `Session ${sessionId}: ${(state.video_infos ?? []).length} media, ${(state.generated_media ?? []).length} renders\n`,
  );
  ctx.out(`${summarizeDraft(state.draft)}\n`);
}
