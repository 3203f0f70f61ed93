/**
 * `openedit chat [file...] [--session <id>]`: an interactive loop on one session (the
 * "iterative" workflow): each line is a chat turn; slash commands upload, render and inspect.
 */

import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { runTurn } from '../chat-turn.ts';
import { type Ctx, note, sessionForWork } from '../context.ts';
import { formatErrorLine, NetworkError } from '../errors.ts';
import { uploadFile } from '../upload.ts';
import { creditsCommand } from './credits.ts';
import { defaultOutput, printOutcome, renderSession } from './render-flow.ts';
import { statusCommand } from './status.ts';
import { turnSink } from './turn-sink.ts';

const HELP = `Type what you want changed, e.g. "trim the pauses", "add captions", "undo".
  /upload <file...>   add media to the session      /render [out.mp4]  render and download
  /status             timeline and credits          /credits           credit balance
  /help               this help                     /quit              leave (the session stays)`;

export async function chatCommand(ctx: Ctx, files: string[]): Promise<void> {
  const sessionId = await sessionForWork(ctx, 'chat');
  // Inside the loop the session is fixed: status and render use it, not "last".
  const inner: Ctx = { ...ctx, opts: { ...ctx.opts, session: sessionId, json: false } };
  const interactive = process.stdin.isTTY === true;
  note(ctx, `session ${sessionId} (resume with: openedit chat --session ${sessionId})`);
  if (interactive) note(ctx, HELP);

  for (const f of files) await uploadFile(ctx.api, sessionId, f, { quiet: ctx.opts.quiet, stream: ctx.err });

  // Ctrl-C cancels the running turn; at the prompt it leaves the loop (the session stays).
  let turnAbort: AbortController | null = null;
  const handle = async (line: string): Promise<'quit' | undefined> => {
    const [cmd, ...args] = line.split(/\s+/);
    switch (cmd) {
      case '/quit':
      case '/exit':
        return 'quit';
      case '/help':
        ctx.err.write(`${HELP}\n`);
        return;
      case '/upload':
        for (const f of args) await uploadFile(ctx.api, sessionId, f, { quiet: ctx.opts.quiet, stream: ctx.err });
        return;
      case '/render': {
        const out = args[0] ? resolve(args[0]) : ctx.opts.output ? resolve(ctx.opts.output) : defaultOutput(undefined);
        printOutcome(inner, await renderSession(inner, sessionId, out));
        return;
      }
      case '/status':
        await statusCommand(inner);
        return;
      case '/credits':
        await creditsCommand(inner);
        return;
    }
    turnAbort = new AbortController();
    let turn: Awaited<ReturnType<typeof runTurn>>;
    try {
      turn = await runTurn(ctx.api, sessionId, line, turnSink(inner), {
        verbose: ctx.opts.verbose,
        signal: turnAbort.signal,
      });
    } finally {
      turnAbort = null;
    }
    if (turn.text && !turn.text.endsWith('\n')) ctx.out('\n');
    if (turn.error) ctx.err.write(`openedit: the edit failed (${turn.error.code}): ${turn.error.message}\n`);
  };

  if (ctx.opts.message && (await handle(ctx.opts.message)) === 'quit') return;

  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: interactive });
  rl.setPrompt('you> ');
  rl.on('SIGINT', () => {
    if (turnAbort) turnAbort.abort();
    else rl.close();
  });
  if (interactive) rl.prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (line) {
      try {
        if ((await handle(line)) === 'quit') break;
      } catch (err) {
        if ((err as Error).name === 'AbortError') {
          ctx.err.write('\n(cancelled)\n');
          if (interactive) rl.prompt();
          continue;
        }
        ctx.err.write(`${formatErrorLine(err)}\n`);
        if (err instanceof NetworkError) break;
      }
    }
    if (interactive) rl.prompt();
  }
  rl.close();
}
