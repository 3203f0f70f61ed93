/**
 * The transcript of a session (docs/transcript.md): read it (JSON, txt, SRT, VTT), cut or restore
 * words by id, correct the captions, replace one caption's text. Every edit is one undoable draft
 * version, made by the same pure operations the chat uses.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { captionsFromCues } from '../draft/ops/captions-from-cues.ts';
import { captionsFromScript } from '../draft/ops/captions-from-script.ts';
import { correctCaptions, setCaptionText } from '../draft/ops/correct-captions.ts';
import { cutWords } from '../draft/ops/cut-words.ts';
import { restoreWords } from '../draft/ops/restore-words.ts';
import { type EditOp, OpError } from '../draft/ops/types.ts';
import type { Draft } from '../draft/schema.ts';
import type { UserClient } from '../durable/user-stub.ts';
import type { AppEnv } from '../lib/app-env.ts';
import { ok } from '../lib/envelope.ts';
import { AppError, ErrorCode } from '../lib/errors.ts';
import type { RouteDoc } from '../lib/openapi-registry.ts';
import { parseJson, parseWith } from '../lib/validate.ts';
import { buildTranscript } from '../transcript/build.ts';
import { toCues, toSrt, toText, toVtt } from '../transcript/formats.ts';
import { loadTranscriptSource, type TranscriptSource } from '../transcript/load.ts';
import { parseScriptFile } from '../transcript/subtitle-file.ts';
import { requireAuth } from './require-auth.ts';

const Query = z.object({ format: z.enum(['json', 'txt', 'srt', 'vtt']).default('json') });

export const CutBody = z.object({
  from_id: z.string().min(1).max(200),
  to_id: z.string().min(1).max(200).optional(),
  /** true: bring the words back instead of cutting them. */
  restore: z.boolean().default(false),
  /** The draft version the client saw; a newer draft answers 409 rather than editing blind. */
  base_version: z.number().int().nonnegative().optional(),
});
export const CorrectionBody = z.object({ from: z.string().trim().min(1).max(200), to: z.string().trim().max(200) });
export const CaptionBody = z.object({ text: z.string().trim().min(1).max(500) });

const TranscriptWordSchema = z.object({
  id: z.string(),
  text: z.string(),
  media_id: z.string(),
  src_s: z.number(),
  src_e: z.number(),
  s: z.number().nullable(),
  e: z.number().nullable(),
  cut: z.boolean(),
  conf: z.number().nullable(),
  filler: z.boolean(),
});
export const TranscriptData = z.object({
  draft_version: z.number(),
  language: z.string(),
  words: z.array(TranscriptWordSchema),
  pending: z.array(
    z.object({
      media_id: z.string(),
      name: z.string(),
      status: z.enum(['analysing', 'needs_request']),
      estimated_ms: z.number(),
      credits: z.number(),
    }),
  ),
});

function transcriptData(src: TranscriptSource) {
  return {
    draft_version: src.version,
    language: src.language,
    words: buildTranscript(src.draft, src.analysis, src.language),
    pending: src.pending,
  };
}

/** Applies one op to the current draft and commits it as a new version; OpErrors become 400s. */
async function edit(user: UserClient, sid: string, src: TranscriptSource, op: EditOp, args: unknown, base?: number) {
  if (base !== undefined && base !== src.version)
    throw new AppError(
      ErrorCode.CONFLICT,
      `The draft moved on (version ${src.version}, not ${base}): reload the transcript`,
      {
        draft_version: src.version,
      },
    );
  let draft: Draft;
  try {
    // Arguments built from a client's file or body (a cue of 600 characters) get a 400 naming the field.
    draft = op.apply(src.draft, parseWith(op.args, args, 'body'), {
      media: src.media,
      analysis: src.analysis,
      language: src.language,
    });
  } catch (err) {
    if (err instanceof OpError) throw new AppError(ErrorCode.BAD_REQUEST, err.message, { reason: err.code });
    throw err;
  }
  const { version } = await user.commitDraft(sid, draft, { op: `transcript:${op.name}`, baseVersion: src.version });
  return { ...src, draft, version };
}

function requireAnalysed(src: TranscriptSource) {
  if (src.pending.length === 0) return;
  const p = src.pending[0]!;
  throw new AppError(
    ErrorCode.CONFLICT,
    p.status === 'analysing'
      ? `${p.name} is still being analysed (about ${Math.ceil(p.estimated_ms / 1000)} s): try again shortly`
      : `${p.name} is longer than the free analysis length: ask the chat to "transcribe" it (${p.credits} credits)`,
    { pending: src.pending },
  );
}

export const transcript = new Hono<AppEnv>();
transcript.use('*', requireAuth);

transcript.get('/nemo_agent/me/:sid', async (c) => {
  const { format } = parseWith(Query, c.req.query(), 'query');
  const src = await loadTranscriptSource(c.env, c.var.user, c.req.param('sid'));
  const data = transcriptData(src);
  if (format === 'json') return ok(c, data);
  if (data.words.length === 0) requireAnalysed(src);
  const headers = { 'x-transcript-pending': String(src.pending.length) };
  if (format === 'txt') return c.text(toText(data.words, src.language), 200, headers);
  const cues = toCues(data.words, src.language);
  if (format === 'srt')
    return c.body(toSrt(cues), 200, { ...headers, 'content-type': 'application/x-subrip; charset=utf-8' });
  return c.body(toVtt(cues), 200, { ...headers, 'content-type': 'text/vtt; charset=utf-8' });
});

transcript.post('/nemo_agent/me/:sid/cut', async (c) => {
  const sid = c.req.param('sid');
  const body = await parseJson(c, CutBody);
  const src = await loadTranscriptSource(c.env, c.var.user, sid);
  requireAnalysed(src);
  const op = body.restore ? restoreWords : cutWords;
  const args = body.restore
    ? { word_ids: wordRange(body.from_id, body.to_id ?? body.from_id) }
    : { from_id: body.from_id, to_id: body.to_id };
  return ok(c, transcriptData(await edit(c.var.user, sid, src, op, args, body.base_version)));
});

transcript.post('/nemo_agent/me/:sid/corrections', async (c) => {
  const sid = c.req.param('sid');
  const body = await parseJson(c, CorrectionBody);
  const src = await loadTranscriptSource(c.env, c.var.user, sid);
  return ok(c, transcriptData(await edit(c.var.user, sid, src, correctCaptions, body)));
});

transcript.put('/nemo_agent/me/:sid/captions/:segment_id', async (c) => {
  const sid = c.req.param('sid');
  const body = await parseJson(c, CaptionBody);
  const src = await loadTranscriptSource(c.env, c.var.user, sid);
  const args = { segment_id: c.req.param('segment_id'), text: body.text };
  return ok(c, transcriptData(await edit(c.var.user, sid, src, setCaptionText, args)));
});

/** A script or subtitle file is text: 1 MiB holds a feature film's subtitles many times over. */
const MAX_SCRIPT_BYTES = 1024 * 1024;

transcript.put('/nemo_agent/me/:sid/script', async (c) => {
  const sid = c.req.param('sid');
  if (Number(c.req.header('content-length') ?? 0) > MAX_SCRIPT_BYTES)
    throw new AppError(ErrorCode.FILE_TOO_LARGE, `The script is larger than ${MAX_SCRIPT_BYTES} bytes (the limit)`, {
      max_bytes: MAX_SCRIPT_BYTES,
    });
  const bytes = await readCapped(c.req.raw.body, MAX_SCRIPT_BYTES);
  let raw: string;
  try {
    raw = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new AppError(ErrorCode.UNSUPPORTED_MEDIA, 'The script must be UTF-8 text (.txt, .srt or .vtt)');
  }
  const file = parseScriptFile(raw);
  if (file.kind === 'text' && !file.text) throw new AppError(ErrorCode.BAD_REQUEST, 'The script is empty');
  if (file.kind !== 'text' && file.cues.length === 0)
    throw new AppError(ErrorCode.BAD_REQUEST, `No cues could be read from the ${file.kind.toUpperCase()} file`);
  const src = await loadTranscriptSource(c.env, c.var.user, sid);
  // A plain script needs the words to be timed by; subtitles bring their own timing.
  if (file.kind === 'text') requireAnalysed(src);
  const [op, args] =
    file.kind === 'text' ? [captionsFromScript, { script: file.text }] : [captionsFromCues, { cues: file.cues }];
  const edited = await edit(c.var.user, sid, src, op as EditOp, args);
  return ok(c, { ...transcriptData(edited), script: file.kind === 'text' ? 'text' : file.kind });
});

/** The body, read until `cap` bytes and refused past it (a chunked body has no Content-Length to check first). */
async function readCapped(body: ReadableStream<Uint8Array> | null, cap: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  if (body)
    for await (const chunk of body) {
      size += chunk.length;
      if (size > cap) {
        await body.cancel().catch(() => undefined);
        throw new AppError(ErrorCode.FILE_TOO_LARGE, `The script is larger than ${cap} bytes (the limit)`, {
          max_bytes: cap,
        });
      }
      parts.push(chunk);
    }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Ids from `from` to `to` of one clip's words (restoring takes every word in between). */
function wordRange(from: string, to: string): string[] {
  const [media, a] = [from.slice(0, from.lastIndexOf(':')), Number(from.slice(from.lastIndexOf(':') + 1))];
  const b = Number(to.slice(to.lastIndexOf(':') + 1));
  if (!to.startsWith(`${media}:`) || !Number.isInteger(a) || !Number.isInteger(b) || b < a)
    throw new AppError(ErrorCode.BAD_REQUEST, 'from_id and to_id must name words of the same clip, in order');
  if (b - a > 2000) throw new AppError(ErrorCode.BAD_REQUEST, 'At most 2000 words at once (the limit)');
  return Array.from({ length: b - a + 1 }, (_, i) => `${media}:${a + i}`);
}

const sid = '/api/transcript/nemo_agent/me/{sid}';
export const transcriptDocs: RouteDoc[] = [
  {
    method: 'get',
    path: sid,
    operationId: 'getTranscript',
    summary:
      'The transcript of the current timeline: every word with id, text, source and timeline times (or cut), confidence, filler flag; pending clips with estimates. ?format=txt|srt|vtt for renderings.',
    auth: true,
    query: Query,
    data: TranscriptData,
    tags: ['transcript'],
  },
  {
    method: 'post',
    path: `${sid}/cut`,
    operationId: 'cutTranscriptWords',
    summary: 'Cut (or with restore: true, bring back) the words from from_id to to_id: one undoable draft version',
    auth: true,
    body: CutBody,
    data: TranscriptData,
    tags: ['transcript'],
  },
  {
    method: 'post',
    path: `${sid}/corrections`,
    operationId: 'correctCaptions',
    summary: 'Correct how the captions spell something; remembered for the session (later captions get it too)',
    auth: true,
    body: CorrectionBody,
    data: TranscriptData,
    tags: ['transcript'],
  },
  {
    method: 'put',
    path: `${sid}/script`,
    operationId: 'putTranscriptScript',
    summary:
      'Captions from your script: a .txt (aligned to the speech: exact words, speech timing) or an .srt/.vtt (its own timing, moved through the cuts). UTF-8, up to 1 MiB.',
    auth: true,
    bodyType: 'text/plain',
    body: z.string(),
    data: TranscriptData.extend({ script: z.enum(['text', 'srt', 'vtt']) }),
    tags: ['transcript'],
  },
  {
    method: 'put',
    path: `${sid}/captions/{segment_id}`,
    operationId: 'setCaptionText',
    summary: 'Replace the text of one caption',
    auth: true,
    body: CaptionBody,
    data: TranscriptData,
    tags: ['transcript'],
  },
];
