import { z } from 'zod';
import type { Draft, TextTrack } from '../schema.ts';
import { TrackType } from '../schema.ts';
import { defineOp } from './define-op.ts';
import { idMaker } from './util.ts';

const textArgs = {
  text: z.string().trim().min(1).max(200),
  start_ms: z.number().int().min(0).default(0),
  duration_ms: z.number().int().min(100).max(3_600_000).default(3000),
  pos: z.enum(['top', 'center', 'bottom']).default('center'),
  size: z.number().positive().max(400).optional(),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .optional(),
};

export const addTextArgs = z.object({
  ...textArgs,
  replace: z.boolean().default(false).describe('Replace the text overlays already there instead of adding one'),
});
export const setTitleArgs = z.object(textArgs);

/** The text track of a kind ("title" or "text"), created above the others when missing. */
function textTrack(draft: Draft, kind: 'title' | 'text', newId: (p: string) => string): TextTrack {
  const found = draft.t.find((t): t is TextTrack => t.tt === TrackType.text && t.m.kind === kind);
  if (found) return found;
  const track: TextTrack = {
    id: newId('x'),
    tt: TrackType.text,
    m: { name: kind === 'title' ? 'Title' : 'Text', kind },
    sg: [],
  };
  draft.t.push(track);
  return track;
}

export const addText = defineOp({
  name: 'add_text',
  description: 'Add a text overlay (or replace the existing overlays) at a time and position.',
  args: addTextArgs,
  edit(draft, args) {
    const newId = idMaker(draft);
    const track = textTrack(draft, 'text', newId);
    if (args.replace) track.sg = [];
    track.sg.push({
      id: newId('s'),
      text: args.text,
      s: args.start_ms,
      d: args.duration_ms,
      m: { pos: args.pos, ...(args.size ? { size: args.size } : {}), ...(args.color ? { color: args.color } : {}) },
    });
    track.sg.sort((a, b) => a.s - b.s);
    return draft;
  },
});

export const setTitle = defineOp({
  name: 'set_title',
  description: 'Set (add or replace) the title shown over the video.',
  args: setTitleArgs,
  edit(draft, args) {
    const newId = idMaker(draft);
    const track = textTrack(draft, 'title', newId);
    track.sg = [
      {
        id: track.sg[0]?.id ?? newId('s'),
        text: args.text,
        s: args.start_ms,
        d: args.duration_ms,
        m: {
          pos: args.pos,
          size: args.size ?? Math.round(Math.max(draft.w, draft.h) * 0.05),
          ...(args.color ? { color: args.color } : {}),
          fade_in: 300,
          fade_out: 300,
        },
      },
    ];
    draft.m = { ...draft.m, title: args.text };
    return draft;
  },
});
