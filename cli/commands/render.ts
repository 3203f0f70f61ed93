/** `openedit render [--session <id>] [--id <render_id>] [-o out.mp4]`. */
import { resolve } from 'node:path';
import { type Ctx, existingSession, printJson } from '../context.ts';
import { defaultOutput, finishRender, printOutcome, renderSession } from './render-flow.ts';

export async function renderCommand(ctx: Ctx): Promise<void> {
  const out = ctx.opts.output ? resolve(ctx.opts.output) : defaultOutput(undefined);
  const outcome = ctx.opts.id
    ? await finishRender(ctx, ctx.opts.id, out)
    : await renderSession(ctx, existingSession(ctx), out);
  if (ctx.opts.json) printJson(ctx, outcome);
  else printOutcome(ctx, outcome);
}
