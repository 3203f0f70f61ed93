/** Render a session's draft and bring the result home: MP4, captions beside it, share link. */
import { statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { type Ctx, note } from '../context.ts';
import { download } from '../download.ts';
import { UsageError } from '../errors.ts';
import { formatBytes } from '../progress.ts';
import { captionUrls, draftHasContent, type StateData, startRender, waitForRender } from '../render.ts';

export interface RenderOutcome {
  render_id: string;
  output: string;
  size_bytes: number;
  captions: { srt?: string; vtt?: string };
  url: string;
  share_url: string | null;
  expires_at: number | string | null;
}

/** `talk.mp4` → `talk.edited.mp4` in the current directory. */
export function defaultOutput(firstInput: string | undefined): string {
  if (!firstInput) return resolve('openedit-output.mp4');
  const base = basename(firstInput, extname(firstInput));
  return resolve(`${base}.edited.mp4`);
}

export const withExt = (path: string, ext: string) => `${path.slice(0, path.length - extname(path).length)}${ext}`;

export async function fetchDraft(ctx: Ctx, sessionId: string): Promise<StateData> {
  return ctx.api.get<StateData>(`/api/state/nemo_agent/me/${encodeURIComponent(sessionId)}/latest`);
}

export async function renderSession(ctx: Ctx, sessionId: string, outPath: string): Promise<RenderOutcome> {
  const state = await fetchDraft(ctx, sessionId);
  if (!draftHasContent(state.draft))
    throw new UsageError('the session has nothing to render yet: upload a clip and describe an edit first');
  const started = await startRender(ctx.api, sessionId, state.draft, ctx.opts.quality ?? 'high');
  note(ctx, `render ${started.render_id} started`);
  return finishRender(ctx, started.render_id, outPath);
}

export async function finishRender(ctx: Ctx, renderId: string, outPath: string): Promise<RenderOutcome> {
  const status = await waitForRender(ctx.api, renderId, { quiet: ctx.opts.quiet, stream: ctx.err, signal: ctx.signal });
  const size = await download(ctx.api, status.url!, outPath, {
    label: `download ${basename(outPath)}`,
    quiet: ctx.opts.quiet,
    stream: ctx.err,
  });
  const captions: RenderOutcome['captions'] = {};
  if (ctx.opts.captions) {
    for (const [kind, url] of Object.entries(captionUrls(status)) as ['srt' | 'vtt', string][]) {
      const dest = withExt(outPath, `.${kind}`);
      try {
        await download(ctx.api, url, dest, { quiet: true });
        captions[kind] = dest;
      } catch (err) {
        note(ctx, `openedit: could not download the ${kind.toUpperCase()} captions: ${(err as Error).message}`);
      }
    }
  }
  const share = status.share_url ? ctx.api.url(status.share_url) : null;
  return {
    render_id: renderId,
    output: outPath,
    size_bytes: size || statSync(outPath).size,
    captions,
    url: ctx.api.url(status.url!),
    share_url: share,
    expires_at: status.expires_at ?? null,
  };
}

export function expiresText(expiresAt: number | string | null): string {
  if (expiresAt === null || expiresAt === undefined) return '';
  const d = new Date(typeof expiresAt === 'number' ? expiresAt : String(expiresAt));
  return Number.isNaN(d.getTime()) ? '' : ` (expires ${d.toISOString().replace(/\.\d+Z$/, 'Z')})`;
}

export function printOutcome(ctx: Ctx, r: RenderOutcome): void {
  ctx.out(`Saved ${r.output} (${formatBytes(r.size_bytes)})\n`);
  for (const path of [r.captions.srt, r.captions.vtt]) if (path) ctx.out(`Captions: ${path}\n`);
  if (r.share_url) ctx.out(`Share: ${r.share_url}${expiresText(r.expires_at)}\n`);
}
