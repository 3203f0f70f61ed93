/** What every planner rule receives, and small helpers the rules share. */
import type { MediaInfo } from '../../draft/ops/types.ts';
import type { Draft } from '../../draft/schema.ts';
import type { PlanCall } from './types.ts';

export interface Clause {
  /** Normalised text with quoted strings blanked out (so a title "Music Lovers" is not a music request). */
  bare: string;
  /** Quoted strings, in order. */
  quotes: string[];
  /** Normalised text with quotes. */
  full: string;
  /** The clause as typed (original case), for free text such as an unquoted title. */
  raw: string;
}

export interface RuleCtx {
  clause: Clause;
  draft: Draft;
  media: readonly MediaInfo[];
  language: string;
  /** Reply language. */
  zh: boolean;
  /** Calls planned so far in this message (earlier clauses). */
  planned: PlanCall[];
}

export type RuleResult = { calls: PlanCall[]; note?: string } | { clarify: string } | null;

export interface Rule {
  name: string;
  /** Fallback rules run only when no other rule understood the clause. */
  fallback?: boolean;
  match(ctx: RuleCtx): RuleResult;
}

export const call = (name: string, args: Record<string, unknown> = {}): PlanCall => ({ name, args });
export const t = (ctx: RuleCtx, en: string, zh: string) => (ctx.zh ? zh : en);

// Single quotes count next to Chinese characters ("字幕里的'程式'改成'城市'"), and an apostrophe
// followed by a letter stays inside them ('Carl's').
export const QUOTE_RE =
  /"([^"]+)"|“([^”]+)”|‘([^’]+)’|「([^」]+)」|『([^』]+)』|《([^》]+)》|(?<![\p{Script=Latin}\p{N}])'((?:[^']|'(?=\p{Script=Latin}))+)'(?![\p{Script=Latin}\p{N}])/gu;

/** Splits out quoted strings, keeping the original case of what is inside them. */
export function makeClause(raw: string, normalize: (s: string) => string): Clause {
  const quotes: string[] = [];
  const bare = raw.replace(QUOTE_RE, (...m: unknown[]) => {
    const inner = (m.slice(1, 8).find((x) => typeof x === 'string') as string).trim();
    quotes.push(inner);
    return ' "" ';
  });
  return { bare: normalize(bare), quotes, full: normalize(raw), raw: raw.trim() };
}

/** Chinese for "cut the silent parts" (静音 alone means mute). */
export const ZH_CUT_SILENCE = /(剪|删|去|移除|减少|裁).{0,4}静音|静音的?(部分|片段|段|地方)/;

export const MUSIC_WORDS = /\b(music|bgm|songs?|soundtrack|background track|tune)\b|背景音乐|配乐|音乐|歌曲|歌/;
// "no music" / "no captions": a clause that starts with "no" (not "captions with no highlight").
export const REMOVE_WORDS =
  /\b(remove|delete|drop|turn off|get rid of|without|no more|take (?:off|out|away))\b|^no\b|去掉|删除|删掉|不要|关闭|取消|移除|拿掉/;
export const POS_WORDS: [RegExp, 'top' | 'center' | 'bottom'][] = [
  [/\b(top|upper|above)\b|顶部|上方|上面|顶端/, 'top'],
  [/\b(bottom|lower|below)\b|底部|下方|下面|底端/, 'bottom'],
  [/\b(middle|center|centre|centered)\b|中间|居中|中央|正中/, 'center'],
];

export function findPos(text: string): 'top' | 'center' | 'bottom' | undefined {
  return POS_WORDS.find(([re]) => re.test(text))?.[1];
}

export function audioMedia(media: readonly MediaInfo[]): MediaInfo[] {
  return media.filter((m) => m.kind === 'audio');
}
export function visualMedia(media: readonly MediaInfo[]): MediaInfo[] {
  return media.filter((m) => m.kind !== 'audio');
}
