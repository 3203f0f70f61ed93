/** Times and time ranges in requests: "3s", "1.5 seconds", "0:05", "1 minute 30", "3秒", "1分30秒", "500ms". */

export interface FoundTime {
  ms: number;
  index: number;
  end: number;
}

const NUM = '(\\d+(?:\\.\\d+)?)';
const TIME_RE = new RegExp(
  [
    `(\\d+):(\\d{1,2}(?:\\.\\d+)?)`, // m:ss
    `${NUM}\\s*(?:minutes?|mins?|分钟|分)\\s*(?:and\\s*)?(?:${NUM}\\s*(?:seconds?|secs?|s\\b|秒钟?)?)?`, // 1 minute 30 (seconds)
    `${NUM}\\s*(?:milliseconds?|ms\\b|毫秒)`,
    `${NUM}\\s*(?:seconds?|secs?|s\\b|秒钟?)`,
  ].join('|'),
  'g',
);

/** Every explicit time in the text, in order. */
export function findTimes(text: string): FoundTime[] {
  const out: FoundTime[] = [];
  for (const m of text.matchAll(TIME_RE)) {
    let ms: number;
    if (m[1] !== undefined) ms = (Number(m[1]) * 60 + Number(m[2])) * 1000;
    else if (m[3] !== undefined) ms = Number(m[3]) * 60_000 + (m[4] ? Number(m[4]) * 1000 : 0);
    else if (m[5] !== undefined) ms = Number(m[5]);
    else ms = Number(m[6]) * 1000;
    out.push({ ms: Math.round(ms), index: m.index, end: m.index + m[0].length });
  }
  return out;
}

export function firstTimeMs(text: string): number | null {
  return findTimes(text)[0]?.ms ?? null;
}

/** The time following one of the given cue words ("longer than 1s", "for 3 seconds"). */
export function timeAfter(text: string, cues: RegExp): number | null {
  const cue = cues.exec(text);
  if (!cue) return null;
  const rest = text.slice(cue.index + cue[0].length);
  const t = findTimes(rest)[0];
  return t && t.index <= 12 ? t.ms : null;
}

export interface Range {
  s: number;
  e: number;
}

const UNIT = '(?:\\s*(?:ms|milliseconds?|s\\b|secs?|seconds?|秒钟?|毫秒))?';
const POINT = `(?:(\\d+):(\\d{1,2}(?:\\.\\d+)?)|第?(\\d+(?:\\.\\d+)?)${UNIT.replace('(?:', '(')})`;
const RANGE_RE = new RegExp(
  `(?:from|between|从)?\\s*${POINT}\\s*(?:-|–|~|to|until|till|through|and|到|至)\\s*${POINT}`,
);

function pointMs(
  mm: string | undefined,
  ss: string | undefined,
  n: string | undefined,
  unit: string | undefined,
  fallbackUnit: string | undefined,
): number {
  if (mm !== undefined) return (Number(mm) * 60 + Number(ss)) * 1000;
  const u = (unit ?? fallbackUnit ?? 's').trim();
  return /^(ms|millisecond|毫秒)/.test(u) ? Number(n) : Number(n) * 1000;
}

/**
 * A time range in the request, against the current duration: "from 3s to 5s", "3-5 seconds",
 * "0:03 to 0:05", "3秒到5秒", "the first 3 seconds", "last 5s", "前3秒", "最后5秒", "after 10s", "10秒之后".
 */
export function findRange(text: string, durationMs: number): Range | null {
  const m = RANGE_RE.exec(text);
  if (m) {
    const [, mm1, ss1, n1, u1, mm2, ss2, n2, u2] = m;
    const s = pointMs(mm1, ss1, n1, u1, u2);
    const e = pointMs(mm2, ss2, n2, u2, u1);
    if (e > s) return { s, e };
  }
  const two = findTimes(text);
  if (
    two.length === 2 &&
    /^\s*(?:-|–|~|to|until|till|through|and|到|至)\s*$/.test(text.slice(two[0]!.end, two[1]!.index))
  ) {
    if (two[1]!.ms > two[0]!.ms) return { s: two[0]!.ms, e: two[1]!.ms };
  }
  const first = /(?:first|opening|beginning|start(?:ing)?|前|开头(?:的)?)\s*(?:the\s*)?/.exec(text);
  const last = /(?:last|final|ending|end|最后|后|结尾(?:的)?)\s*(?:the\s*)?/.exec(text);
  for (const [cue, fromEnd] of [
    [first, false],
    [last, true],
  ] as const) {
    if (!cue) continue;
    const t = findTimes(text.slice(cue.index + cue[0].length))[0];
    if (!t || t.index > 4) continue;
    return fromEnd ? { s: Math.max(0, durationMs - t.ms), e: durationMs } : { s: 0, e: t.ms };
  }
  const times = findTimes(text);
  if (times.length === 1) {
    const t = times[0]!;
    const before = text.slice(Math.max(0, t.index - 12), t.index);
    const after = text.slice(t.end, t.end + 6);
    if (/(after|from|past|beyond)\s*$/.test(before) || /^\s*(?:之后|以后|后|开始)/.test(after))
      return { s: t.ms, e: durationMs };
    if (/(before|until|up to)\s*$/.test(before) || /^\s*(?:之前|以前|前)/.test(after)) return { s: 0, e: t.ms };
  }
  return null;
}
