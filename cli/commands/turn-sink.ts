/**
 * Where a chat turn's output goes: the reply to stdout as it streams, tool lines and the
 * agent's progress lines to stderr (progress redrawn in place on a terminal); nothing with --json.
 */
import type { Ctx } from '../context.ts';
import type { TurnSink } from '../turn-printer.ts';

export function turnSink(ctx: Ctx): TurnSink {
  if (ctx.opts.json) return { text: () => {}, tool: () => {}, status: () => {} };
  let statusShown = false;
  // Whether the reply's current line is unfinished, and whether a status line finished it for us.
  let openLine = false;
  let brokeLine = false;
  const clearStatus = () => {
    if (statusShown) ctx.err.write('\r\x1b[K');
    statusShown = false;
  };
  return {
    text: (chunk) => {
      clearStatus();
      const text = brokeLine && chunk.startsWith('\n') ? chunk.slice(1) : chunk;
      brokeLine = false;
      if (!text) return;
      ctx.out(text);
      openLine = !text.endsWith('\n');
    },
    tool: (line) => {
      clearStatus();
      ctx.err.write(`  ${line}\n`);
    },
    status: (line) => {
      if (ctx.opts.quiet) return;
      if (openLine) {
        ctx.out('\n');
        openLine = false;
        brokeLine = true;
      }
      if (ctx.err.isTTY) {
        ctx.err.write(`\r\x1b[K  ${line}`);
        statusShown = true;
      } else {
        ctx.err.write(`  ${line}\n`);
      }
    },
  };
}
