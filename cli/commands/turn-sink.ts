/** Where a chat turn's output goes: the reply to stdout as it streams, tool lines to stderr; nothing with --json. */
import type { Ctx } from '../context.ts';
import type { TurnSink } from '../turn-printer.ts';

export function turnSink(ctx: Ctx): TurnSink {
  if (ctx.opts.json) return { text: () => {}, tool: () => {} };
  return {
    text: (chunk) => ctx.out(chunk),
    tool: (line) => ctx.err.write(`  ${line}\n`),
  };
}
