/** Rules for speech-driven edits: pauses, filler words, captions. */

import { call, REMOVE_WORDS, type Rule, ZH_CUT_SILENCE } from './rule-kit.ts';
import { findTimes, timeAfter } from './times.ts';

export const pausesRule: Rule = {
  name: 'trim_pauses',
  match: (ctx) => {
    const text = ctx.clause.bare;
    const en =
      /\b(pauses?|silences?|silent (?:parts?|bits?|gaps?)|dead air|gaps?|awkward breaks?)\b/.test(text) &&
      !/\bsilence (?:the|my|all)\b/.test(text);
    const zh =
      /停顿|空白|沉默|气口|卡顿|没说话|不说话|节奏.{0,4}(拖|慢)|太拖|紧凑/.test(text) || ZH_CUT_SILENCE.test(text);
    const padding = /\b(padding|margins?|breathing room)\b|留白|余量|留出/.test(text);
    const previous = ctx.planned.at(-1);
    if (!en && !zh && padding && previous?.name === 'trim_pauses') {
      // "…and keep 200ms of padding" refines the trim asked for just before.
      const margin = findTimes(text)[0]?.ms;
      if (margin !== undefined) previous.args.margin_before_ms = previous.args.margin_after_ms = Math.min(margin, 2000);
      return { calls: [] };
    }
    if (!en && !zh) return null;
    const args: Record<string, unknown> = {};
    const min = timeAfter(text, /longer than|over|more than|at least|above|超过|大于|长于|多于/);
    if (min !== null) args.min_silence_ms = Math.max(100, min);
    const margin = timeAfter(text, /margins?|padding|keep|leave|留|保留|余量/);
    if (margin !== null) args.margin_before_ms = args.margin_after_ms = Math.min(margin, 2000);
    if (/\b(tight|aggressive|all)\b|全部|所有|彻底/.test(text) && min === null) args.min_silence_ms = 300;
    if (/\b(gentle|natural|light|only long)\b|自然|轻微|长的/.test(text) && min === null) args.min_silence_ms = 1000;
    return { calls: [call('trim_pauses', args)] };
  },
};

export const fillersRule: Rule = {
  name: 'remove_fillers',
  match: ({ clause }) => {
    const text = clause.bare;
    const mentions =
      /\bfillers?\b|\bfiller words?\b|\b(u+m+s?|u+h+s?|erms?|er|a+h+|hmm+)\b|口头禅|语气词|嗯|呃|(?<!余)额/.test(text);
    const wordCue = /\b(?:the |every |each |all )?words?\b|这个词|口头语/.test(text) && clause.quotes.length > 0;
    if (!mentions && !wordCue) return null;
    return { calls: [call('remove_fillers', wordCue ? { extra_words: clause.quotes } : {})] };
  },
};

const CAPTION_LANGS: [RegExp, string][] = [
  [/\benglish\b|英文|英语/, 'en'],
  [/\bchinese\b|\bmandarin\b|中文|汉语|普通话|简体/, 'zh'],
  [/\bjapanese\b|日文|日语/, 'ja'],
  [/\bspanish\b|西班牙/, 'es'],
  [/\bfrench\b|法语|法文/, 'fr'],
  [/\bgerman\b|德语|德文/, 'de'],
];

export const captionsRule: Rule = {
  name: 'captions',
  match: ({ clause }) => {
    const text = clause.bare;
    if (!/\b(captions?|subtitles?|subs|closed captions)\b|字幕/.test(text)) return null;
    // "in the captions, change 'x' to 'y'": the first clause only says where the next one applies.
    if (/^(?:in|on|for) (?:the |my )?(?:captions?|subtitles?|subs)$|^字幕(?:里|中|上)(?:的)?$/.test(text.trim()))
      return { calls: [] };
    if (REMOVE_WORDS.test(text)) return { calls: [call('remove_track', { target: 'captions' })] };
    const args: Record<string, unknown> = {};
    const lang = CAPTION_LANGS.find(([re]) => re.test(text));
    if (lang) args.language = lang[1];
    if (/karaoke|highlight|word[- ]by[- ]word|卡拉|逐字|高亮/.test(text)) args.style = 'karaoke';
    else if (/\b(bold|big|large|huge)\b|大字|粗体|醒目|大号/.test(text)) args.style = 'bold';
    else if (/\b(minimal|small|subtle|simple)\b|简约|简洁|小字|小号/.test(text)) args.style = 'minimal';
    if (/\b(top|upper)\b|顶部|上方/.test(text)) args.pos = 'top';
    else if (/\b(middle|center|centre)\b|中间|居中/.test(text)) args.pos = 'center';
    return { calls: [call('add_captions', args)] };
  },
};
