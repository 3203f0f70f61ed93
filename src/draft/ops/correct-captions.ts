/**
 * Caption corrections: "in the captions, change 'cards' to 'Carl's'" fixes the existing captions
 * and records the fix in the session's glossary (draft.m.glossary), so captions made later, and
 * the transcript, carry it too. `set_caption_text` replaces the text of one caption for clients
 * with a caption editor.
 */

import { z } from 'zod';
import type { Draft, TextSegment, TextTrack } from '../schema.ts';
import { TrackType } from '../schema.ts';
import { captionText } from './caption-split.ts';
import { defineOp } from './define-op.ts';
import { applyGlossary, type GlossaryEntry, wordKey } from './glossary.ts';
import { OpError } from './types.ts';

export const correctCaptionsArgs = z.object({
  from: z.string().trim().min(1).max(200).describe('The words as the captions have them now'),
  to: z.string().trim().max(200).describe('The words as they should read'),
});

const captionTrack = (draft: Draft) =>
  draft.t.find((t): t is TextTrack => t.tt === TrackType.text && t.m.kind === 'caption');

/** A caption with the fixes applied to its words (text rebuilt from them), or to its text. */
function correctSegment(seg: TextSegment, glossary: GlossaryEntry[], language: string | undefined): TextSegment {
  const words = seg.m.words ? applyGlossary(seg.m.words, glossary, language) : undefined;
  if (words && JSON.stringify(words) !== JSON.stringify(seg.m.words))
    return { ...seg, text: captionText(words, language), m: { ...seg.m, words } };
  // No word matched (or the caption was typed by hand): replace in its text, leaving the rest as written.
  let text = seg.text;
  for (const fix of glossary) text = text.split(fix.from).join(fix.to);
  return text === seg.text ? seg : { ...seg, text };
}

export const correctCaptions = defineOp({
  name: 'correct_captions',
  description:
    'Fix how the captions spell something ("cards" → "Carl\'s"); remembered for this session, so later captions get it too.',
  args: correctCaptionsArgs,
  edit(draft, args) {
    const entry = { from: args.from, to: args.to };
    const glossary = (draft.m?.glossary ?? []).filter((g) => wordKey(g.from) !== wordKey(entry.from));
    glossary.push(entry);
    draft.m = { ...(draft.m ?? {}), glossary };
    const track = captionTrack(draft);
    if (track) {
      const before = JSON.stringify(track.sg);
      track.sg = track.sg.map((seg) => correctSegment(seg, [entry], track.m.language));
      if (JSON.stringify(track.sg) === before)
        throw new OpError(
          'not_in_captions',
          `The captions do not contain "${args.from}".`,
          `字幕里没有“${args.from}”。`,
        );
    }
    return draft;
  },
});

export const setCaptionTextArgs = z.object({
  segment_id: z.string().min(1).max(100),
  text: z.string().trim().min(1).max(500),
});

export const setCaptionText = defineOp({
  name: 'set_caption_text',
  description: 'Replace the text of one caption (its timing stays; word highlighting follows the new text).',
  args: setCaptionTextArgs,
  edit(draft, args) {
    const track = captionTrack(draft);
    const seg = track?.sg.find((s) => s.id === args.segment_id);
    if (!seg)
      throw new OpError(
        'caption_not_found',
        `There is no caption ${args.segment_id}.`,
        `没有字幕 ${args.segment_id}。`,
      );
    // Word timings no longer match the letters: the renderer then times the new text by its share.
    seg.text = args.text;
    return draft;
  },
});
