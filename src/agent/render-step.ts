/** "export" inside a chat turn: start the render through the same path as the REST endpoint, stream progress, end with links. */
import type { Draft } from '../draft/schema.ts';
import { AppError } from '../lib/errors.ts';
import type { TurnDeps, TurnOptions } from './deps.ts';
import { TurnError } from './errors.ts';
import { type Lang, TEXT } from './messages.ts';
import type { EventSink } from './sse.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function renderStep(
  sink: EventSink,
  deps: TurnDeps,
  draft: Draft,
  args: Record<string, unknown>,
  lang: Lang,
  opts: TurnOptions,
): Promise<string> {
  const text = TEXT[lang];
  const id = await sink.call('render', args);
  if (!deps.render) {
    const msg =
      lang === 'zh'
        ? '聊天中的导出暂不可用：请调用 POST /api/render/proxy/lambda 并传入当前草稿。'
        : 'Export from chat is not available on this server yet: call POST /api/render/proxy/lambda with the current draft.';
    await sink.respond(id, 'render', { ok: false, error: msg });
    return msg;
  }
  if (draft.t.every((t) => t.sg.length === 0)) {
    await sink.respond(id, 'render', { ok: false, error: text.emptyTimeline });
    throw new TurnError('EMPTY_DRAFT', text.emptyTimeline);
  }
  let started: Awaited<ReturnType<NonNullable<TurnDeps['render']>['start']>>;
  try {
    started = await deps.render.start(draft, { quality: args.quality as 'low' | 'medium' | 'high' | undefined });
  } catch (err) {
    const app = err instanceof AppError ? err : null;
    const bind = app?.data && typeof app.data.bind_url === 'string' ? ` ${app.data.bind_url}` : '';
    const message = `${app?.message ?? String(err)}${bind}`;
    await sink.respond(id, 'render', { ok: false, error: message, ...(app ? { code: app.code } : {}) });
    throw new TurnError(app ? String(app.code) : 'RENDER_FAILED', message);
  }
  await sink.respond(id, 'render', { ok: true, ...started });
  await sink.text(text.renderStarted(started.render_id, started.cost));
  const pollMs = opts.renderPollMs ?? 2000;
  const deadline = Date.now() + (opts.renderMaxWaitMs ?? 10 * 60_000);
  let shown = -1;
  for (;;) {
    const view = await deps.render.status(started.render_id);
    if (view.status === 'done' && view.url) return text.renderDone(view.url, view.share_url);
    if (view.status === 'failed')
      throw new TurnError('RENDER_FAILED', text.renderFailed(view.error ?? 'unknown error'));
    const step = Math.floor(view.progress * 10);
    if (step > shown) {
      shown = step;
      await sink.text(text.renderProgress(view.progress), { progress: true });
    }
    if (Date.now() > deadline || !sink.connected) return text.renderSlow(started.render_id);
    await sleep(pollMs);
  }
}
