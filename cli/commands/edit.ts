/** `openedit edit <file...> "<prompt>" [-o out.mp4]`: upload, one chat turn, render, download. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { splitFilesAndPrompt } from '../args.ts';
import { runTurn } from '../chat-turn.ts';
import { type Ctx, note, printJson, sessionForWork } from '../context.ts';
import { TurnError, UsageError } from '../errors.ts';
import { type MediaInfo, uploadFile } from '../upload.ts';
import { defaultOutput, finishRender, printOutcome, type RenderOutcome, renderSession } from './render-flow.ts';
import { turnSink } from './turn-sink.ts';

export async function editCommand(ctx: Ctx, positionals: string[]): Promise<void> {
  const { files, prompt } = splitFilesAndPrompt(positionals, ctx.opts.message);
  for (const f of files) if (!existsSync(f)) throw new UsageError(`no such file: ${f}`);
  if (!prompt.trim()) throw new UsageError('the prompt is empty');

  const sessionId = await sessionForWork(ctx, 'project');
  note(ctx, `session ${sessionId}`);
  const media: MediaInfo[] = [];
  for (const f of files)
    media.push(...(await uploadFile(ctx.api, sessionId, f, { quiet: ctx.opts.quiet, stream: ctx.err })));

  const turn = await runTurn(ctx.api, sessionId, prompt, turnSink(ctx), {
    verbose: ctx.opts.verbose,
    signal: ctx.signal,
  });
  if (!ctx.opts.json && turn.text && !turn.text.endsWith('\n')) ctx.out('\n');
  if (turn.error) throw new TurnError(turn.error.code, turn.error.message);

  let outcome: RenderOutcome | null = null;
  const out = ctx.opts.output ? resolve(ctx.opts.output) : defaultOutput(files[0]);
  // "…and export it" makes the agent render within the turn: fetch that render rather than paying for a second one.
  const agentRender = turn.renderIds.at(-1);
  if (ctx.opts.render) {
    outcome = agentRender ? await finishRender(ctx, agentRender, out) : await renderSession(ctx, sessionId, out);
  }

  if (ctx.opts.json) {
    printJson(ctx, { session_id: sessionId, media, reply: turn.text, tool_calls: turn.toolCalls, render: outcome });
    return;
  }
  if (outcome) printOutcome(ctx, outcome);
  else ctx.out(`Session ${sessionId}: render it later with \`openedit render --session ${sessionId}\`\n`);
}
