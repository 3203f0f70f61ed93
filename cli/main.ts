/** The CLI's entry: parse the command line, run one command, map any failure to one line and an exit code. */

import { Api, CLI_VERSION } from './api-client.ts';
import { parseCommandLine, USAGE } from './args.ts';
import { chatCommand } from './commands/chat.ts';
import { creditsCommand } from './commands/credits.ts';
import { editCommand } from './commands/edit.ts';
import { renderCommand } from './commands/render.ts';
import { sessionsCommand } from './commands/sessions.ts';
import { statusCommand } from './commands/status.ts';
import { ConfigStore, configDir, resolveBaseUrl } from './config.ts';
import type { Ctx } from './context.ts';
import { exitCodeFor, formatErrorLine } from './errors.ts';
import { Exit } from './exit-codes.ts';

export async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (err) {
    process.stderr.write(`${formatErrorLine(err)}\n`);
    return Exit.USAGE;
  }
  if (parsed.options.version) {
    process.stdout.write(`openedit ${CLI_VERSION}\n`);
    return Exit.OK;
  }
  if (parsed.command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return Exit.OK;
  }

  const controller = new AbortController();
  const onSigint = () => {
    controller.abort(new Error('interrupted'));
    process.stderr.write('\nopenedit: interrupted\n');
    // A second Ctrl-C, or a request that ignores the abort, must not keep the user waiting.
    process.exit(Exit.INTERRUPTED);
  };
  if (parsed.command !== 'chat') process.once('SIGINT', onSigint);

  const store = new ConfigStore(configDir());
  const api = new Api({ baseUrl: resolveBaseUrl(parsed.options.baseUrl), store });
  const ctx: Ctx = {
    api,
    store,
    opts: parsed.options,
    out: (text) => process.stdout.write(text),
    err: process.stderr,
    signal: controller.signal,
  };
  try {
    switch (parsed.command) {
      case 'edit':
        await editCommand(ctx, parsed.positionals);
        break;
      case 'chat':
        await chatCommand(ctx, parsed.positionals);
        break;
      case 'render':
        await renderCommand(ctx);
        break;
      case 'status':
        await statusCommand(ctx);
        break;
      case 'credits':
        await creditsCommand(ctx);
        break;
      case 'sessions':
        await sessionsCommand(ctx, parsed.positionals);
        break;
    }
    return Exit.OK;
  } catch (err) {
    if (controller.signal.aborted) return Exit.INTERRUPTED;
    process.stderr.write(`${formatErrorLine(err)}\n`);
    if (process.env.OPENEDIT_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return exitCodeFor(err);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
