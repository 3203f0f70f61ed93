/** Rules for titles and text overlays. */

import { TrackType } from '../../draft/schema.ts';
import { call, findPos, REMOVE_WORDS, type Rule, type RuleCtx, t } from './rule-kit.ts';
import { findTimes, timeAfter } from './times.ts';

/** The words to show: a quoted string, or what follows "title:" / "saying" / "标题是". */
function overlayText(ctx: RuleCtx, cue: RegExp): string | null {
  if (ctx.clause.quotes[0]) return ctx.clause.quotes[0];
  const m = cue.exec(ctx.clause.raw);
  const text = (m?.[1] ?? m?.[2])
    ?.replace(/\s+(?:at|for|on|in|from)\s+(?:the\s+)?(?:top|bottom|middle|center|start|end|\d).*$/i, '')
    .trim();
  return text ? text : null;
}

export function timing(ctx: RuleCtx, args: Record<string, unknown>, durationDefault: number): void {
  const text = ctx.clause.bare;
  const duration = timeAfter(text, /\bfor\b|持续|显示|停留|时长/);
  if (duration !== null) args.duration_ms = duration;
  const edge = /\b(last|final|first|opening)\s*(?:the\s*)?|最后|前/.exec(text);
  const edgeTime = edge ? findTimes(text.slice(edge.index + edge[0].length))[0] : undefined;
  if (edge && edgeTime && edgeTime.index <= 4) {
    // "in the last 3 seconds" / "前3秒": the overlay covers exactly that stretch.
    const fromEnd = /last|final|最后/.test(edge[0]);
    args.duration_ms = duration ?? edgeTime.ms;
    args.start_ms = fromEnd ? Math.max(0, ctx.draft.d - edgeTime.ms) : 0;
    const pos = findPos(text);
    if (pos) args.pos = pos;
    return;
  }
  const start = timeAfter(text, /\bat\b|\bfrom\b|\bstarting\b|在|从/);
  if (start !== null && start !== duration) args.start_ms = start;
  else if (/\b(at|in) the end\b|结尾|最后|末尾/.test(text)) {
    const d = (args.duration_ms as number | undefined) ?? durationDefault;
    args.start_ms = Math.max(0, ctx.draft.d - d);
  } else if (start === null && duration === null && findTimes(text).length === 1 && /秒处|秒时/.test(text)) {
    args.start_ms = findTimes(text)[0]!.ms;
  }
  const pos = findPos(text);
  if (pos) args.pos = pos;
}

export const titleRule: Rule = {
  name: 'title',
  match: (ctx) => {
    const text = ctx.clause.bare;
    if (!/\b(title|headline|heading)\b|标题|片名/.test(text)) return null;
    if (REMOVE_WORDS.test(text) && ctx.clause.quotes.length === 0)
      return { calls: [call('remove_track', { target: 'title' })] };
    const existing = ctx.draft.t.find((tr) => tr.tt === TrackType.text && tr.m.kind === 'title')?.sg[0];
    const restyle =
      /\b(bigger|larger|smaller|move|up|down)\b|大一点|小一点|放大|缩小|移到|放到|放在/.test(text) || findPos(text);
    if (existing && 'text' in existing && restyle && ctx.clause.quotes.length === 0) {
      // "make the title bigger", "move the title to the top": same words, new look.
      const size = Number(existing.m.size ?? Math.round(Math.max(ctx.draft.w, ctx.draft.h) * 0.05));
      const args: Record<string, unknown> = {
        text: existing.text,
        start_ms: existing.s,
        duration_ms: existing.d,
        pos: existing.m.pos,
      };
      if (/\b(bigger|larger)\b|大一点|放大/.test(text)) args.size = Math.min(400, Math.round(size * 1.3));
      if (/\bsmaller\b|小一点|缩小/.test(text)) args.size = Math.round(size * 0.75);
      timing(ctx, args, existing.d);
      return { calls: [call('set_title', args)] };
    }
    const words = overlayText(
      ctx,
      /(?:title|headline|heading)\s*(?:to|as|:|is|saying|that says|reading|called|=)\s*(.+)$|(?:标题|片名)\s*(?:是|为|:|：|叫|改成|改为|设为|写)\s*(.+)$/i,
    );
    if (!words)
      return {
        clarify: t(
          ctx,
          'What should the title say? Put it in quotes, e.g. add a title "Urban Dreams".',
          '标题写什么？请用引号括起来，例如：加标题“城市之梦”。',
        ),
      };
    const args: Record<string, unknown> = { text: words };
    timing(ctx, args, 3000);
    return { calls: [call('set_title', args)] };
  },
};

export const textRule: Rule = {
  name: 'text',
  match: (ctx) => {
    const text = ctx.clause.bare;
    if (!/\b(text|overlay|lower third|label|words on screen)\b|文字|文本|一行字|字样|贴字/.test(text)) return null;
    if (REMOVE_WORDS.test(text) && ctx.clause.quotes.length === 0)
      return { calls: [call('remove_track', { target: 'text' })] };
    const words = overlayText(
      ctx,
      /(?:text|overlay|label)\s*(?:saying|that says|reading|:|=)\s*(.+)$|(?:文字|文本|字样)\s*(?:是|为|:|：|写)\s*(.+)$/i,
    );
    if (!words)
      return {
        clarify: t(
          ctx,
          'What should the text say? Put it in quotes, e.g. add text "Subscribe!" at the end.',
          '要加什么文字？请用引号括起来，例如：在结尾加文字“关注我”。',
        ),
      };
    const args: Record<string, unknown> = { text: words };
    if (/\b(replace|change)\b|替换|改成|换成/.test(text)) args.replace = true;
    timing(ctx, args, 3000);
    return { calls: [call('add_text', args)] };
  },
};
