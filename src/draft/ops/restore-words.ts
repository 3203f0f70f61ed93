/**
 * Restore words an earlier cut removed. A ripple cut leaves two neighbouring pieces of the same
 * clip on the timeline (…up to X | from Y…); restoring words that lie between X and Y joins the
 * two pieces back, everything after moves later by the restored length, and captions are made
 * again so the restored words get theirs. The whole gap comes back (one cut is one gap); to take
 * back a single edit exactly, undo is the tool.
 */

import { z } from 'zod';
import type { TextTrack, VisualSegment } from '../schema.ts';
import { TrackType } from '../schema.ts';
import { addCaptions } from './add-captions.ts';
import { fitMusic } from './add-music.ts';
import { defineOp } from './define-op.ts';
import { type OpContext, OpError } from './types.ts';
import { finish, mainVideoTrack, requireMainVideo } from './util.ts';

export const restoreWordsArgs = z.object({
  word_ids: z.array(z.string().min(1).max(200)).min(1).max(2000).describe('Transcript ids of cut words to bring back'),
});

const srcEnd = (seg: VisualSegment) => seg.in + seg.d * (seg.m.speed ?? 1);

export const restoreWords = defineOp({
  name: 'restore_words',
  description: 'Bring back words an earlier cut removed (the whole cut gap they lie in returns).',
  args: restoreWordsArgs,
  needsAnalysis: 'words',
  edit(draft, args, ctx: OpContext) {
    requireMainVideo(draft);
    const main = mainVideoTrack(draft)!;
    let restoredMs = 0;
    for (const id of args.word_ids) {
      const [src, index] = [id.slice(0, id.lastIndexOf(':')), Number(id.slice(id.lastIndexOf(':') + 1))];
      const word = ctx.analysis[src]?.words[index];
      if (!word) throw new OpError('word_not_found', `There is no word ${id}.`, `没有编号为 ${id} 的词。`);
      const mid = (word.s + word.e) / 2;
      const segs = main.sg.filter((s) => s.src === src).sort((a, b) => a.s - b.s);
      if (segs.some((s) => mid >= s.in && mid < srcEnd(s))) continue; // already on the timeline
      const before = segs.filter((s) => srcEnd(s) <= mid).at(-1);
      const after = before ? segs.find((s) => s.s >= before.s + before.d - 1 && s.in > before.in) : undefined;
      const joinable =
        before &&
        after &&
        Math.abs(before.s + before.d - after.s) <= 1 &&
        after.in >= mid &&
        (before.m.speed ?? 1) === (after.m.speed ?? 1);
      if (!joinable)
        throw new OpError(
          'cannot_restore',
          'Those words were not removed by a cut between two parts of the same clip; use undo instead.',
          '这些词不是在同一段素材的两部分之间剪掉的，请用撤销。',
        );
      const speed = before.m.speed ?? 1;
      const gapMs = (after.in - srcEnd(before)) / speed;
      const junction = after.s;
      before.d += gapMs + after.d;
      main.sg = main.sg.filter((s) => s !== after);
      // Everything that started at or after the junction moves later by the restored length.
      for (const track of draft.t) {
        if (track === main || (track.tt === TrackType.audio && track.m.kind === 'music')) continue;
        for (const seg of track.sg) if (seg.s >= junction) seg.s += gapMs;
      }
      for (const seg of main.sg) if (seg !== before && seg.s >= junction) seg.s += gapMs;
      restoredMs += gapMs;
    }
    if (restoredMs === 0) throw new OpError('not_cut', 'Those words are not cut.', '这些词没有被剪掉。');
    fitMusic(draft);
    const finished = finish(draft);
    // Captions are made again, in their style, so the restored words are captioned too.
    const captions = finished.t.find((t): t is TextTrack => t.tt === TrackType.text && t.m.kind === 'caption');
    if (captions) {
      const style = addCaptions.args.parse({
        language: captions.m.language,
        style: captions.m.style,
        pos: captions.sg[0]?.m.pos ?? 'bottom',
      });
      return addCaptions.apply(finished, style, ctx);
    }
    return finished;
  },
});
