/**
 * Numbers written as words become digits before the rules run: "three" → 3,
 * "twenty-five" → 25, "one and a half" → 1.5, "三十" → 30, "百分之三十" → 30%, "一点五倍" → 1.5倍.
 */

const UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const UNIT_RE = Object.keys(UNITS).join('|');
const TENS_RE = Object.keys(TENS).join('|');

function englishToDigits(text: string): string {
  return text
    .replace(new RegExp(`\\b(${UNIT_RE}|${TENS_RE}|a|and|half|hundred|point)\\b`, 'gi'), (w) => w.toLowerCase())
    .replace(new RegExp(`\\b(${UNIT_RE}|a)\\s+and\\s+a\\s+half\\b`, 'g'), (_m, n: string) => `${(UNITS[n] ?? 1) + 0.5}`)
    .replace(new RegExp(`\\b(${TENS_RE})[\\s-]+(${UNIT_RE})\\b`, 'g'), (m, t: string, u: string) =>
      (UNITS[u] ?? 10) < 10 ? `${TENS[t]! + UNITS[u]!}` : m,
    )
    .replace(new RegExp(`\\b(${TENS_RE})\\b`, 'g'), (_m, t: string) => `${TENS[t]}`)
    .replace(new RegExp(`\\b(${UNIT_RE})\\b`, 'g'), (_m, u: string) => `${UNITS[u]}`)
    .replace(/\b(\d+)\s+hundred\b/g, (_m, n: string) => `${Number(n) * 100}`)
    .replace(/\ba hundred\b/g, '100')
    .replace(/\b(\d+)\s+point\s+(\d+)\b/g, '$1.$2')
    .replace(/\bhalf a (second|minute)\b/g, '0.5 $1s');
}

const CN_DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const CN_MULT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** "三十五" → 35, "一百" → 100, "一点五" → 1.5, "十" → 10. */
export function parseChineseNumber(run: string): number | null {
  const [intPart = '', fracPart] = run.split('点');
  let total = 0;
  let current = 0;
  let seen = false;
  for (const ch of intPart) {
    if (ch in CN_DIGITS) {
      current = CN_DIGITS[ch]!;
      seen = true;
    } else if (ch in CN_MULT) {
      total += (current || 1) * CN_MULT[ch]!;
      current = 0;
      seen = true;
    } else if (/\d/.test(ch)) {
      current = current * 10 + Number(ch);
      seen = true;
    } else return null;
  }
  if (!seen) return null;
  let value = total + current;
  if (fracPart !== undefined) {
    const digits = [...fracPart].map((ch) => (ch in CN_DIGITS ? String(CN_DIGITS[ch]) : /\d/.test(ch) ? ch : null));
    if (digits.some((d) => d === null) || digits.length === 0) return null;
    value = Number(`${value}.${digits.join('')}`);
  }
  return value;
}

const CN_RUN = '[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?';
/** A Chinese numeral only counts as a number next to a unit or a marker (so 一下, 一起 stay words). */
const CN_AFTER = '(?=\\s*(?:秒|分钟|分|倍|%|个|段|条|毫秒|帧|s\\b|x\\b))';
const CN_BEFORE = '(?<=第|百分之|到|至|前|后|从|音量|调到|改成|设为|设成|最后)';

function chineseToDigits(text: string): string {
  const convert = (run: string) => {
    const n = parseChineseNumber(run);
    return n === null ? run : String(n);
  };
  return text
    .replace(new RegExp(`百分之(${CN_RUN}|\\d+(?:\\.\\d+)?)`, 'g'), (_m, run: string) => `${convert(run)}%`)
    .replace(new RegExp(`${CN_RUN}${CN_AFTER}`, 'g'), convert)
    .replace(new RegExp(`${CN_BEFORE}${CN_RUN}`, 'g'), convert)
    .replace(/(\d+)分半/g, (_m, n: string) => `${Number(n) + 0.5}分钟`)
    .replace(/半分钟/g, '30秒');
}

/** Number words to digits, leaving the case of everything else (run before splitting clauses). */
export function numbersToDigits(text: string): string {
  return englishToDigits(text);
}

/** Lower-cases, unifies punctuation and turns number words into digits. */
export function normalizeText(text: string): string {
  const lowered = text
    .toLowerCase()
    .replace(/[：]/g, ':')
    .replace(/[％]/g, '%')
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, ' ')
    .trim();
  return chineseToDigits(englishToDigits(lowered));
}

/** The first "NN%" (or "NN percent") in the text, as a fraction. */
export function findPercent(text: string): number | null {
  const m = /(\d+(?:\.\d+)?)\s*(?:%|percent\b|per cent\b)/.exec(text);
  return m ? Number(m[1]) / 100 : null;
}
