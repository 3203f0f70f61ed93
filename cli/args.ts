/** Command-line parsing: `openedit <command> [args] [flags]`, with node:util parseArgs. */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.ts';

export const COMMANDS = ['edit', 'chat', 'status', 'credits', 'render', 'sessions', 'help'] as const;
export type Command = (typeof COMMANDS)[number];

export interface Options {
  baseUrl: string | undefined;
  json: boolean;
  verbose: boolean;
  quiet: boolean;
  session: string | undefined;
  output: string | undefined;
  message: string | undefined;
  language: string | undefined;
  render: boolean;
  captions: boolean;
  quality: string | undefined;
  id: string | undefined;
  version: boolean;
}

export interface ParsedArgs {
  command: Command;
  positionals: string[];
  options: Options;
}

const FLAGS = {
  'base-url': { type: 'string' },
  json: { type: 'boolean', default: false },
  verbose: { type: 'boolean', short: 'v', default: false },
  quiet: { type: 'boolean', short: 'q', default: false },
  session: { type: 'string', short: 's' },
  output: { type: 'string', short: 'o' },
  message: { type: 'string', short: 'm' },
  language: { type: 'string', short: 'l' },
  'no-render': { type: 'boolean', default: false },
  'no-captions': { type: 'boolean', default: false },
  quality: { type: 'string' },
  id: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', default: false },
} as const;

export function parseCommandLine(argv: string[]): ParsedArgs {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof FLAGS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: FLAGS, allowPositionals: true, strict: true });
  } catch (err) {
    // parseArgs' messages are clear but long ("Unknown option '--x'. To specify a positional…"): keep the first sentence.
    throw new UsageError((err as Error).message.split('. ')[0]!);
  }
  const v = parsed.values;
  const [first, ...rest] = parsed.positionals;
  let command: Command;
  if (v.help || first === undefined) command = 'help';
  else if ((COMMANDS as readonly string[]).includes(first)) command = first as Command;
  else throw new UsageError(`unknown command "${first}"; commands: ${COMMANDS.filter((c) => c !== 'help').join(', ')}`);
  if (v.quality !== undefined && !['low', 'medium', 'high'].includes(v.quality)) {
    throw new UsageError(`--quality must be low, medium or high, not "${v.quality}"`);
  }
  return {
    command,
    positionals: command === 'help' && first !== 'help' && first !== undefined ? [first, ...rest] : rest,
    options: {
      baseUrl: v['base-url'],
      json: v.json,
      verbose: v.verbose,
      quiet: v.quiet,
      session: v.session,
      output: v.output,
      message: v.message,
      language: v.language,
      render: !v['no-render'],
      captions: !v['no-captions'],
      quality: v.quality,
      id: v.id,
      version: v.version,
    },
  };
}

/** `edit a.mp4 b.mp4 "prompt"`: the last positional is the prompt unless -m gave it. */
export function splitFilesAndPrompt(
  positionals: string[],
  message: string | undefined,
): { files: string[]; prompt: string } {
  if (message !== undefined) return { files: positionals, prompt: message };
  if (positionals.length < 2)
    throw new UsageError('edit needs at least one file and a prompt: openedit edit clip.mp4 "trim the pauses"');
  return { files: positionals.slice(0, -1), prompt: positionals.at(-1)! };
}

export const USAGE = `openedit — edit videos by describing what you want, against an OpenEdit service

Usage:
  openedit edit <file...> "<what to do>" [-o out.mp4]   upload, edit, render and download in one go
  openedit chat [file...] [--session <id>]             interactive: keep talking to the same session
  openedit render [--session <id>] [-o out.mp4]        render the session's current draft and download it
  openedit render --id <render_id> [-o out.mp4]        wait for / download an earlier render
  openedit status [--session <id>]                     service health, your credits, a session's timeline
  openedit credits                                     your credit balance
  openedit sessions [rm <id>]                          list (or delete) your sessions

Flags:
  -o, --output <file>    where to save the MP4 (captions are saved beside it as .srt/.vtt)
  -s, --session <id>     use an existing session ("last" = the last one this machine used)
  -m, --message <text>   the prompt (instead of the last positional argument of edit)
  -l, --language <tag>   session language, BCP-47 (default en)
      --quality <q>      render quality: low, medium, high (default high)
      --no-render        edit only, do not render
      --no-captions      do not download caption files
      --json             machine-readable JSON on stdout (progress stays on stderr)
  -v, --verbose          also show the agent's tool calls and results
  -q, --quiet            no progress bars
      --base-url <url>   service URL (default $OPENEDIT_BASE_URL or http://127.0.0.1:8787)
  -h, --help             this help

Environment: OPENEDIT_BASE_URL, OPENEDIT_TOKEN (or NEMO_TOKEN), OPENEDIT_CLIENT_ID (or NEMO_CLIENT_ID),
XDG_CONFIG_HOME. Exit codes: 0 ok, 1 usage, 2 API error, 3 network, 4 render failed, 5 edit failed,
130 interrupted. Details: docs/cli.md`;
