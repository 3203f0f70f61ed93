/** References to uploaded files in a request: by name ("music.mp3"), by order ("the second clip", "第二个视频"). */
import type { MediaInfo } from '../../draft/ops/types.ts';

const ORDINALS: Record<string, number> = {
  first: 1,
  '1st': 1,
  second: 2,
  '2nd': 2,
  third: 3,
  '3rd': 3,
  fourth: 4,
  '4th': 4,
  fifth: 5,
  '5th': 5,
  sixth: 6,
  '6th': 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
};
const ORD_WORDS = Object.keys(ORDINALS).join('|');
const NOUNS =
  '(?:clips?|videos?|files?|shots?|images?|photos?|pictures?|songs?|tracks?|audio|music|ones?|segments?|uploads?)';
const CN_NOUNS = '(?:个|段|条|张|首)?(?:视频|片段|素材|文件|图片|照片|音乐|歌|音频)?';

/** Positions (1-based; -1 = last) named in the text, in order of appearance. */
export function findOrdinals(text: string): number[] {
  const found: { at: number; n: number }[] = [];
  const patterns: [RegExp, (m: RegExpExecArray) => number][] = [
    [
      new RegExp(`\\b(${ORD_WORDS})\\s+(?:and\\s+(?:the\\s+)?(?:${ORD_WORDS})\\s+)?${NOUNS}`, 'g'),
      (m) => ORDINALS[m[1]!]!,
    ],
    [new RegExp(`\\band\\s+(?:the\\s+)?(${ORD_WORDS})\\s+${NOUNS}`, 'g'), (m) => ORDINALS[m[1]!]!],
    [/\b(?:clip|video|file|shot|image|photo|song|segment)\s*#?\s*(\d+)\b/g, (m) => Number(m[1])],
    [new RegExp(`\\b(?:the\\s+)?last\\s+${NOUNS}`, 'g'), () => -1],
    [new RegExp(`第\\s*(\\d+)\\s*${CN_NOUNS}`, 'g'), (m) => Number(m[1])],
    [new RegExp(`最后(?:一)?${CN_NOUNS}`, 'g'), () => -1],
  ];
  for (const [re, value] of patterns) {
    for (let m = re.exec(text); m; m = re.exec(text)) found.push({ at: m.index, n: value(m) });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.n);
}

/** File stems that are also everyday words ("music.mp3" must not capture "the music"). */
const COMMON_STEMS =
  /^(music|songs?|audio|video|clips?|photo|image|voice|bgm|tracks?|sound|movie|film|title|intro|outro)$/;

/** Media whose file name (with or without extension) the text mentions. */
export function mediaByName(text: string, media: readonly MediaInfo[]): MediaInfo[] {
  const hits: { at: number; m: MediaInfo }[] = [];
  for (const m of media) {
    const name = m.name.toLowerCase();
    const stem = name.replace(/\.[a-z0-9]{2,4}$/, '');
    let at = text.indexOf(name);
    if (at < 0 && stem.length >= 3 && !COMMON_STEMS.test(stem)) {
      const re = new RegExp(
        `(^|[^\\p{L}\\p{N}])${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}\\p{N}])`,
        'u',
      );
      const m2 = re.exec(text);
      at = m2 ? m2.index : -1;
    }
    if (at >= 0) hits.push({ at, m });
  }
  return hits.sort((a, b) => a.at - b.at).map((h) => h.m);
}

export function pick<T>(list: readonly T[], n: number): T | undefined {
  return n === -1 ? list.at(-1) : list[n - 1];
}

/** "all clips", "both videos", "所有视频", "全部素材". */
export function mentionsAll(text: string): boolean {
  return /\b(all|both|every|each)\b.*\b(clips?|videos?|files?|uploads?|photos?|images?)\b|所有|全部|两个视频|都/.test(
    text,
  );
}
