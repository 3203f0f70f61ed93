/** Rules for the timeline's shape: aspect ratio, speed, cutting and keeping ranges, adding and ordering clips. */
import { mainVideoTrack } from '../../draft/ops/util.ts';
import { findOrdinals, mediaByName, mentionsAll, pick } from './media-ref.ts';
import { findPercent } from './numbers.ts';
import { call, type Rule, t, visualMedia } from './rule-kit.ts';
import { findRange, findTimes } from './times.ts';

const RATIO_RE = /\b(16|9|1|4)\s*(?::|x|×|\/|by|比)\s*(9|16|1|5)\b|(16|9|1|4)\s*比\s*(9|16|1|5)/;
const ASPECT_WORDS: [RegExp, string][] = [
  [
    /\b(vertical|portrait|tiktok|reels?|shorts|stories|story)\b(?![- ]style)|竖屏|竖版|竖向|竖着|抖音|快手|视频号|小红书/,
    '9:16',
  ],
  [/\b(horizontal|landscape|widescreen|wide|youtube)\b|横屏|横版|横向|宽屏/, '16:9'],
  [/\b(square)\b|正方形|方形|方屏/, '1:1'],
  [/\binstagram (?:feed|post)\b/, '4:5'],
];

/** Aspect ratios are stripped before times are read, so "9:16" is never 9 min 16 s. */
export function stripRatios(text: string): string {
  return text.replace(new RegExp(RATIO_RE.source, 'g'), ' ');
}

export const aspectRule: Rule = {
  name: 'aspect',
  match: (ctx) => {
    const text = ctx.clause.bare;
    let aspect: string | undefined;
    const m = RATIO_RE.exec(text);
    if (m) {
      const candidate = `${m[1] ?? m[3]}:${m[2] ?? m[4]}`;
      if (['16:9', '9:16', '1:1', '4:5'].includes(candidate)) aspect = candidate;
    }
    aspect ??= ASPECT_WORDS.find(([re]) => re.test(text))?.[1];
    const fitContain =
      /\b(fit|contain|letterbox(?:ed)?|black bars|whole frame|without cropping|no crop(?:ping)?|pad)\b|留黑边|完整显示|不裁剪|黑边|不要裁/.test(
        text,
      );
    const fitCover = /\b(fill|cover|crop|zoom)\b|填充|铺满|裁剪|充满|填满/.test(text);
    if (!aspect) {
      // "square, letterboxed": a fit on its own refines the aspect change just planned.
      const previous = ctx.planned.at(-1);
      if (previous?.name !== 'set_aspect' || !(fitContain || fitCover)) return null;
      previous.args.fit = fitContain ? 'contain' : 'cover';
      return { calls: [] };
    }
    const args: Record<string, unknown> = { aspect };
    if (fitContain) args.fit = 'contain';
    else if (fitCover) args.fit = 'cover';
    return { calls: [call('set_aspect', args)] };
  },
};

export const speedRule: Rule = {
  name: 'speed',
  match: (ctx) => {
    const text = stripRatios(ctx.clause.bare);
    let factor: number | null = null;
    const x =
      /(\d+(?:\.\d+)?)\s*(?:x|×)(?![\p{L}\d])|(\d+(?:\.\d+)?)\s*倍速?|(\d+(?:\.\d+)?)\s*times\s+(?:faster|speed|as fast)/u.exec(
        text,
      );
    const speedWord = /\bspeed\b|速度|倍速|播放速度/.test(text);
    const by = /\bby\s*(\d+(?:\.\d+)?)\s*%/.exec(text);
    if (x) factor = Number(x[1] ?? x[2] ?? x[3]);
    else if (by && /\b(up|faster|quicker)\b|加速|加快/.test(text)) factor = 1 + Number(by[1]) / 100;
    else if (by && /\b(down|slower)\b|减速|放慢/.test(text)) factor = 1 - Number(by[1]) / 100;
    else if (speedWord && findPercent(text) !== null) factor = findPercent(text);
    else if (/\b(double speed|twice as fast)\b/.test(text)) factor = 2;
    else if (/\bhalf speed\b|半速/.test(text)) factor = 0.5;
    else if (/\b(normal|original|regular|real-time) speed\b|原速|正常速度|恢复速度/.test(text)) factor = 1;
    else if (/\bspeed (?:it )?up\b|\bfaster\b|\bquicker\b|加速|快进|加快|快一点/.test(text)) factor = 1.5;
    else if (/\bslow (?:it )?down\b|\bslower\b|\bslow[- ]?mo(?:tion)?\b|慢放|放慢|慢动作|减速|慢一点/.test(text))
      factor = 0.5;
    else if (speedWord) {
      const n = /speed\s*(?:to|of|at)?\s*(\d+(?:\.\d+)?)/.exec(text);
      if (n) factor = Number(n[1]);
    }
    if (factor === null) return null;
    if (factor < 0.25 || factor > 4)
      return {
        clarify: t(
          ctx,
          'Speed can be between 0.25x and 4x. Which speed do you want?',
          '速度可以设在 0.25 倍到 4 倍之间，要多少倍？',
        ),
      };
    return { calls: [call('set_speed', { factor })] };
  },
};

const KEEP_WORDS =
  /\b(keep|only|trim (?:it )?to|cut (?:it )?(?:down )?to|shorten (?:it )?to|make it|just)\b|只保留|保留|只要|剪成|截取|缩短到|剪到|留下/;
const CUT_WORDS =
  /\b(cut|remove|delete|drop|trim|chop|get rid of|lose|skip)\b|剪掉|删掉|删除|去掉|裁掉|剪去|去除|切掉|砍掉|不要|剪/;

export const rangeRule: Rule = {
  name: 'range',
  match: (ctx) => {
    const text = stripRatios(ctx.clause.bare);
    const keep = KEEP_WORDS.test(text);
    // "delete the first 2 seconds and the last 3": the verb carries over to the next clause.
    const cut = CUT_WORDS.test(text) || (!keep && ctx.planned.at(-1)?.name === 'cut_range');
    if (!keep && !cut) return null;
    if (/\b(padding|margins?)\b|留白|余量/.test(text)) return null;
    const clips = [...(mainVideoTrack(ctx.draft)?.sg ?? [])].sort((a, b) => a.s - b.s);
    const clipWord = /\b(clips?|videos?|shots?|segments?|photos?|images?)\b|视频|片段|素材|图片|照片/.test(text);
    const ords = clipWord && !findTimes(text).length ? findOrdinals(text) : [];
    if (cut && ords.length) {
      const picked = ords.map((n) => (n === -1 ? clips.at(-1) : clips[n - 1]));
      if (picked.some((c) => !c))
        return {
          clarify: t(
            ctx,
            `The timeline has ${clips.length} clip(s); which one do you mean?`,
            `时间线上只有 ${clips.length} 个片段，你指的是哪一个？`,
          ),
        };
      return { calls: picked.map((c) => call('cut_range', { start_ms: c!.s, end_ms: c!.s + c!.d })) };
    }
    const carried = !CUT_WORDS.test(text) && ctx.planned.at(-1)?.name === 'cut_range';
    // "… and the last 3": with the verb, the unit carries over too (seconds).
    const range =
      findRange(text, ctx.draft.d) ??
      (carried ? findRange(text.replace(/\b(first|last)\s+(\d+(?:\.\d+)?)\s*$/, '$1 $2 seconds'), ctx.draft.d) : null);
    if (keep && !range) {
      const times = findTimes(text);
      if (times.length === 1 && /(long|长|秒|s\b|seconds?|minutes?|分钟)/.test(text))
        return { calls: [call('trim_to', { start_ms: 0, end_ms: times[0]!.ms })] };
    }
    if (!range) {
      if (/\b(part|section|bit|segment|middle)\b|这段|这部分|中间/.test(text))
        return {
          clarify: t(ctx, 'Which part? For example: "cut from 0:05 to 0:08".', '剪哪一段？例如：“删掉3秒到5秒”。'),
        };
      return null;
    }
    if (keep) return { calls: [call('trim_to', { start_ms: range.s, end_ms: range.e })] };
    return { calls: [call('cut_range', { start_ms: range.s, end_ms: range.e })] };
  },
};

const APPEND_WORDS =
  /\b(append|add|include|insert|put|join|combine|merge|stitch|concatenate|use)\b|拼接|合并|加上|添加|加入|接上|连起来|拼起来|放进|加/;

export const appendRule: Rule = {
  name: 'append',
  match: (ctx) => {
    const text = ctx.clause.bare;
    const visual = visualMedia(ctx.media);
    const named = mediaByName(ctx.clause.full, ctx.media).filter((m) => m.kind !== 'audio');
    const previous = ctx.planned.at(-1);
    if (!APPEND_WORDS.test(text)) {
      // "use a.mp4 and b.mp4": the second file joins the append just planned.
      if (named.length && previous?.name === 'append_clips') {
        previous.args.media_ids = [...(previous.args.media_ids as string[]), ...named.map((m) => m.media_id)];
        return { calls: [] };
      }
      return null;
    }
    if (!named.length) {
      const images = visual.filter((m) => m.kind === 'image');
      if (/\b(the )?(photo|image|picture)\b|图片|照片/.test(text) && images.length === 1 && !findOrdinals(text).length)
        named.push(images[0]!);
    }
    const ordinals = /\b(clips?|videos?|photos?|images?|pictures?|shots?|files?)\b|视频|片段|素材|图片|照片/.test(text)
      ? findOrdinals(text)
      : [];
    let chosen = named;
    if (!chosen.length && ordinals.length) {
      const picked = ordinals.map((n) => pick(visual, n));
      if (picked.some((m) => !m))
        return {
          clarify: t(
            ctx,
            `This session has ${visual.length} uploaded clip(s); which one do you mean?`,
            `这个会话只有 ${visual.length} 个素材，你指的是哪一个？`,
          ),
        };
      chosen = picked as typeof visual;
    }
    const onTimeline = new Set(mainVideoTrack(ctx.draft)?.sg.map((s) => s.src));
    if (
      !chosen.length &&
      mentionsAll(text) &&
      /\b(clips?|videos?|photos?|images?|files?|uploads?)\b|视频|素材|片段|图片|文件/.test(text)
    ) {
      chosen = visual.filter((m) => !onTimeline.has(m.media_id));
      if (!chosen.length)
        return {
          calls: [],
          note: t(ctx, 'All uploaded clips are already on the timeline.', '所有上传的素材都已经在时间线上了。'),
        };
    }
    if (!chosen.length) return null;
    return { calls: [call('append_clips', { media_ids: chosen.map((m) => m.media_id) })] };
  },
};

export const reorderRule: Rule = {
  name: 'reorder',
  match: (ctx) => {
    const text = ctx.clause.bare;
    const count = mainVideoTrack(ctx.draft)?.sg.length ?? 0;
    if (/\breverse\b.*\b(order|clips?|videos?)\b|倒序|顺序反过来|反转顺序|颠倒顺序/.test(text)) {
      return { calls: [call('reorder', { order: Array.from({ length: count }, (_, i) => count - i) })] };
    }
    if (!/\b(reorder|swap|switch|move|put|order|place)\b|调换|交换|互换|顺序|放到|移到|挪到|放在/.test(text))
      return null;
    const list = /(?:order|顺序)\D{0,12}?((?:\d+\s*(?:,|，|、|\s|then|and|然后)\s*)+\d+)/.exec(text);
    if (list) return { calls: [call('reorder', { order: list[1]!.match(/\d+/g)!.map(Number) })] };
    const clips = [...(mainVideoTrack(ctx.draft)?.sg ?? [])].sort((a, b) => a.s - b.s);
    const byName = mediaByName(ctx.clause.full, ctx.media)
      .map((m) => clips.findIndex((c) => c.src === m.media_id) + 1)
      .filter((n) => n > 0);
    const ords = [...byName, ...findOrdinals(text).map((n) => (n === -1 ? count : n))];
    if (ords.length === 0) return null;
    if (/\b(swap|switch)\b|调换|交换|互换/.test(text) && ords.length >= 2) {
      const order = Array.from({ length: count }, (_, i) => i + 1);
      const [a, b] = [ords[0]! - 1, ords[1]! - 1];
      [order[a], order[b]] = [order[b]!, order[a]!];
      return { calls: [call('reorder', { order })] };
    }
    const clip = ords[0]!;
    if (
      /\b(first|start|beginning|front)\b|最前|开头|第一位|最开始/.test(
        text.replace(/\bfirst\s+(?:clip|video|file|one)\b/, ''),
      )
    )
      return { calls: [call('reorder', { order: [clip] })] };
    if (/\b(last|end)\b|最后|末尾|结尾/.test(text.replace(/\blast\s+(?:clip|video|file|one)\b/, ''))) {
      const order = Array.from({ length: count }, (_, i) => i + 1).filter((n) => n !== clip);
      return { calls: [call('reorder', { order: [...order, clip] })] };
    }
    return {
      clarify: t(
        ctx,
        'Where should that clip go? For example: "put the second clip first".',
        '把它放到哪里？例如：“把第二个视频放到最前面”。',
      ),
    };
  },
};
