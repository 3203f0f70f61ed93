import { z } from 'zod';
import type { CaptionWord, Draft, TextSegment, TextTrack } from '../schema.ts';
import { TrackType } from '../schema.ts';
import { isSpaceless, layoutLines } from './captions-text.ts';
import { defineOp } from './define-op.ts';
import { applyGlossary } from './glossary.ts';
import { type OpContext, OpError } from './types.ts';
import { idMaker, mainVideoTrack, requireMainVideo } from './util.ts';

export const CAPTION_STYLES = ['classic', 'bold', 'karaoke', 'minimal'] as const;

export const addCaptionsArgs = z.object({
  language: z
    .string()
    .min(2)
    .max(35)
    .optional()
    .describe('BCP-47 language of the captions; default: the session language'),
  style: z.enum(CAPTION_STYLES).default('classic'),
  pos: z.enum(['top', 'center', 'bottom']).default('bottom'),
});

/** A gap in speech this long starts a new caption. */
const MAX_GAP_MS = 800;
/** A caption longer than this is split even if its text would fit (readability). */
const MAX_CAPTION_MS = 6000;
/** Captions this close are joined end to start, so they do not flicker. */
const BRIDGE_MS = 400;

const STYLE_META: Record<
  (typeof CAPTION_STYLES)[number],
  { sizeOfLongSide: number; color: string; highlight?: string }
> = {
  classic: { sizeOfLongSide: 0.03, color: '#ffffff' },
  bold: { sizeOfLongSide: 0.038, color: '#ffffff' },
  karaoke: { sizeOfLongSide: 0.034, color: '#ffffff', highlight: '#ffd400' },
  minimal: { sizeOfLongSide: 0.024, color: '#f0f0f0' },
};

/** A caption word and the main-track clip it is heard in (captions never cross from one to the next). */
type ClipWord = CaptionWord & { clip: number };

/** Every spoken (non-filler) word mapped onto the timeline through the main track's cuts. */
function timelineWords(draft: Draft, analysis: OpContext['analysis']): ClipWord[] {
  const words: ClipWord[] = [];
  for (const [clip, seg] of (mainVideoTrack(draft)?.sg ?? []).entries()) {
    const speed = seg.m.speed ?? 1;
    const srcEnd = seg.in + seg.d * speed;
    for (const word of analysis[seg.src]?.words ?? []) {
      if (word.filler) continue;
      const mid = (word.s + word.e) / 2;
      if (mid < seg.in || mid >= srcEnd) continue;
      const s = seg.s + (Math.max(word.s, seg.in) - seg.in) / speed;
      const e = seg.s + (Math.min(word.e, srcEnd) - seg.in) / speed;
      words.push({ w: word.w.trim(), s: Math.round(s), e: Math.round(Math.max(e, s + 1)), clip });
    }
  }
  return words.filter((w) => w.w).sort((a, b) => a.s - b.s);
}

interface Group {
  text: string;
  words: CaptionWord[];
  clip: number;
}

function groupWords(words: ClipWord[], spaceless: boolean): Group[] {
  const groups: Group[] = [];
  let current: ClipWord[] = [];
  let text = '';
  const flush = () => {
    if (current.length) groups.push({ text, words: current.map(({ clip: _clip, ...w }) => w), clip: current[0]!.clip });
    current = [];
    text = '';
  };
  for (const word of words) {
    const prev = current.at(-1);
    const tooLong = current.length > 0 && word.e - current[0]!.s > MAX_CAPTION_MS;
    const breaks =
      prev && (tooLong || word.clip !== prev.clip || word.s - prev.e > MAX_GAP_MS || /[.?!。？！]$/.test(prev.w));
    const laid = breaks ? null : layoutLines([...current.map((w) => w.w), word.w], spaceless);
    if (prev && laid === null) flush();
    current.push(word);
    text = laid ?? layoutLines([word.w], spaceless) ?? word.w.slice(0, 84);
  }
  flush();
  return groups;
}

export const addCaptions = defineOp({
  name: 'add_captions',
  description: 'Add captions from the speech (replaces existing captions), <=42 chars x 2 lines, with word timings.',
  args: addCaptionsArgs,
  needsAnalysis: 'words',
  edit(draft, args, ctx) {
    requireMainVideo(draft);
    const language = args.language ?? ctx.language;
    // The session's caption corrections apply to every caption made, within each clip.
    const glossary = draft.m?.glossary;
    const byClip = Map.groupBy(timelineWords(draft, ctx.analysis), (w) => w.clip);
    const words = [...byClip.values()].flatMap((clipWords) => applyGlossary(clipWords, glossary, language));
    if (words.length === 0)
      throw new OpError('no_speech', 'No spoken words were found to caption.', '没有找到可以做字幕的语音。');
    const newId = idMaker(draft);
    const style = STYLE_META[args.style];
    const size = Math.round(Math.max(draft.w, draft.h) * style.sizeOfLongSide);
    const groups = groupWords(words, isSpaceless(language));
    const segments: TextSegment[] = groups.map((group, i) => {
      const s = group.words[0]!.s;
      // Bridge a short gap to the next caption, but never across a clip boundary (a cut).
      const next = groups[i + 1]?.clip === group.clip ? groups[i + 1]!.words[0]!.s : undefined;
      let e = group.words.at(-1)!.e;
      if (next !== undefined && next - e < BRIDGE_MS) e = next;
      return {
        id: newId('c'),
        text: group.text,
        s,
        d: Math.max(1, e - s),
        m: { pos: args.pos, size, color: style.color, words: group.words },
      };
    });
    const existing = draft.t.findIndex((t) => t.tt === TrackType.text && t.m.kind === 'caption');
    const track: TextTrack = {
      id: existing >= 0 ? draft.t[existing]!.id : newId('cap'),
      tt: TrackType.text,
      m: {
        name: 'Captions',
        kind: 'caption',
        language,
        style: args.style,
        ...(style.highlight ? { highlight: style.highlight } : {}),
      },
      sg: segments,
    };
    if (existing >= 0) draft.t[existing] = track;
    else draft.t.push(track);
    return draft;
  },
});
