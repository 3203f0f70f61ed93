/**
 * Where a chat turn's output goes: the reply to stdout as it streams, tool lines and the
 * agent's progress lines to stderr (progress redrawn in place on a terminal); nothing with --json.
 */
import type { Ctx } from '../context.ts';
import type { TurnSink } from '../turn-printer.ts';

export function turnSink(ctx: Ctx): TurnSink {
  if (ctx.opts.json) return { text: () => {}, tool: () => {}, status: () => {} };
  let statusShown = false;
  const clearStatus = () => {
    if (statusShown) ctx.err.write('\r\x1b[K');
    statusShown = false;
  };
  return {
    text: (chunk) => {
      clearStatus();
      ctx.out(chunk);
    },
    tool: (line) => {
      clearStatus();
      ctx.err.write(`  ${line}\n`);
    },
    status: (line) => {
      if (ctx.opts.quiet) return;
      if (ctx.err.isTTY) {
        ctx.err.write(`\r\x1b[K  ${line}`);
        statusShown = true;
      } else {
        ctx.err.write(`  ${line}\n`);
      }
    },
  };
}
