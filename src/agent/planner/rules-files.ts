/**
 * One file at a time, as the service we replace documents its batch style: "work on interview.mp4
 * on its own", "only the first clip …", "next file", "第二个视频单独处理" focus the timeline on one
 * file; "put them all together" combines them again.
 */
import { mainTrackSources } from '../../draft/ops/timeline.ts';
import { findOrdinals, mediaByName, pick } from './media-ref.ts';
import { call, type Rule, t, visualMedia } from './rule-kit.ts';

const ALONE =
  /\b(on (?:its|it's) own|by itself|alone|separately|individually|only (?:the )?\S+ (?:clip|video|file|one)|just (?:the )?\S+ (?:clip|video|file)|work on|focus on|edit (?:only|just))\b|单独|只处理|只剪|只用/;
const NEXT =
  /\b(next|other) (?:clip|video|file|one)\b|\bthe other one\b|下一个(?:视频|文件|片段|素材)?|另一个(?:视频|文件|片段|素材)?/;
const TOGETHER =
  /\b(put (?:them|it|everything) (?:all )?together|(?:combine|merge|join) (?:them|all|everything|the (?:clips|videos|files))|all (?:the )?(?:clips|videos|files) together)\b|合在一起|合并|拼在一起|全部放一起|放在一起/;

export const filesRule: Rule = {
  name: 'files',
  match: (ctx) => {
    const text = ctx.clause.bare;
    const visual = visualMedia(ctx.media);
    if (visual.length < 2) return null; // one file: nothing to choose between
    // From one focused file back to all of them, in upload order; a timeline that already holds
    // several clips gets the missing ones appended instead (the append rule), keeping its edits.
    if (TOGETHER.test(text))
      return mainTrackSources(ctx.draft).length <= 1
        ? { calls: [call('use_media', { media_ids: visual.map((m) => m.media_id) })] }
        : null;
    const next = NEXT.test(text);
    if (!next && !ALONE.test(text)) return null;
    let chosen: (typeof visual)[number] | undefined = mediaByName(ctx.clause.full, visual)[0];
    const ord = findOrdinals(text)[0];
    if (!chosen && ord !== undefined) chosen = pick(visual, ord);
    if (!chosen && next) {
      // The file after the one on the timeline now (in upload order), or the first not on it.
      const current = mainTrackSources(ctx.draft);
      const last = Math.max(-1, ...current.map((id) => visual.findIndex((m) => m.media_id === id)));
      chosen = visual[last + 1] ?? visual.find((m) => !current.includes(m.media_id));
    }
    if (!chosen)
      return {
        clarify: t(
          ctx,
          `Which file should I work on? You uploaded ${visual.map((m) => m.name).join(', ')}.`,
          `要处理哪个文件？你上传了 ${visual.map((m) => m.name).join('、')}。`,
        ),
      };
    return { calls: [call('use_media', { media_ids: [chosen.media_id] })] };
  },
};
