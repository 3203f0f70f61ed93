/**
 * The embedded planner: no model, deterministic. It splits a request into clauses
 * ("trim the pauses, add captions, and export"), runs keyword rules over each clause in
 * English and Chinese, and returns the operation calls in the order they were asked for.
 * Anything it does not understand produces a clarifying question and no change.
 */
import { langOf } from '../../draft/summary.ts';
import { normalizeText, numbersToDigits } from './numbers.ts';
import { call, makeClause, QUOTE_RE, type Rule, type RuleCtx } from './rule-kit.ts';
import { denoiseRule, fadeRule, loudnessRule, musicRule, muteRule, volumeRule } from './rules-audio.ts';
import { creditsRule, renderRule, stateRule, undoRule, uploadRule } from './rules-control.ts';
import { filesRule } from './rules-files.ts';
import {
  looseCaptionsRule,
  looseTitleRule,
  onScreenTextRule,
  polishRule,
  relativeVolumeRule,
  sendMeRule,
} from './rules-loose.ts';
import { textRule, titleRule } from './rules-overlay.ts';
import { captionsRule, fillersRule, pausesRule } from './rules-speech.ts';
import { appendRule, aspectRule, rangeRule, reorderRule, speedRule } from './rules-timeline.ts';
import {
  CONFIRM,
  correctionRule,
  cutWordsRule,
  DRY_RUN,
  DRY_RUN_ASK,
  reanalyseRule,
  retakesRule,
  spelledRule,
  wordEverywhereRule,
} from './rules-words.ts';
import { extractScript } from './script-request.ts';
import type { Plan, PlanCall, PlanInput, Planner } from './types.ts';

/** Order matters only for which rule claims a clause first; calls keep the request's order. */
const RULES: Rule[] = [
  undoRule,
  renderRule,
  sendMeRule,
  creditsRule,
  filesRule,
  // Word edits name their words in quotes; they go before the captions and range rules, which
  // would otherwise read "change 'cards' in the captions" as "add captions".
  spelledRule,
  reanalyseRule,
  correctionRule,
  cutWordsRule,
  wordEverywhereRule,
  retakesRule,
  relativeVolumeRule,
  looseCaptionsRule,
  looseTitleRule,
  onScreenTextRule,
  pausesRule,
  fillersRule,
  captionsRule,
  titleRule,
  textRule,
  musicRule,
  muteRule,
  loudnessRule,
  volumeRule,
  denoiseRule,
  fadeRule,
  aspectRule,
  speedRule,
  reorderRule,
  appendRule,
  rangeRule,
  stateRule,
  uploadRule,
  polishRule,
];

/** Rules that stand down when another rule already read the clause a different way. */
const WORD_EDITS = [
  'correct_captions',
  'cut_words',
  'remove_word_everywhere',
  'remove_retakes',
  'respell',
  'reanalyse',
];
const YIELDS_TO: Record<string, string[]> = {
  append: ['reorder', 'music', 'title', 'text', 'captions', 'captions_loose', 'on_screen_text', 'files', ...WORD_EDITS],
  range: [
    'files',
    'trim_pauses',
    'remove_fillers',
    'captions',
    'title',
    'text',
    'music',
    'speed',
    'fade',
    'on_screen_text',
    ...WORD_EDITS,
  ],
  text: ['title', 'captions', 'on_screen_text', 'captions_loose', ...WORD_EDITS],
  title: [...WORD_EDITS, 'title_loose'],
  captions: [...WORD_EDITS, 'captions_loose'],
  music: ['relative_volume'],
  on_screen_text: ['captions_loose'],
  reorder: ['captions_loose', 'on_screen_text', 'title_loose', 'files'],
  volume: ['relative_volume'],
  aspect: ['loudness', 'captions', 'captions_loose'],
  speed: ['relative_volume'],
  remove_fillers: WORD_EDITS,
  trim_pauses: WORD_EDITS,
};

const SPLIT_RE =
  /[,，](?!\s*\d)|(?<!\d\s*)[,，]|[;；。！!？?\n]|、|\bthen\b|\balso\b|然后|接着|并且|并(?=[^且])|和(?=最后|前|后|从)|同时|以及|之后再|再把|再(?=[加把给将做配添])|\s+and\s+(?!\d|(?:the\s+)?(?:first|second|third|fourth|fifth|last|1st|2nd|3rd)\s+(?:clips?|videos?|files?|ones?|songs?|photos?|images?)\b)/;

const LEADING_FILLER =
  /^(?:and|then|also|please|pls|can you|could you|i want to|i'd like to|let's|和|再|请|帮我|麻烦|把它|然后)\s+/i;

/** Splits a request into clauses; quoted text is never split and keeps its case. */
export function splitClauses(text: string): string[] {
  const quoted: string[] = [];
  const masked = text
    .replace(QUOTE_RE, (q) => `\u{E000}${quoted.push(q) - 1}\u{E001}`)
    // "fade in and out" is one request: keep " and " from cutting it into "fade in" + "out".
    .replace(/\bfade([ -]?)(in|out)\s+and\s+(out|in)\b/gi, 'fade$1$2/$3');
  return numbersToDigits(masked)
    .split(new RegExp(SPLIT_RE.source, 'giu'))
    .map((c) => (c ?? '').trim())
    .map((c) => {
      let prev = '';
      let cur = c;
      while (prev !== cur) {
        prev = cur;
        cur = cur.replace(LEADING_FILLER, '').trim();
      }
      return cur.replace(/\u{E000}(\d+)\u{E001}/gu, (_m, i: string) => quoted[Number(i)]!);
    })
    .filter((c) => c.length > 0);
}

/**
 * Ranges in one request all refer to the timeline as the user sees it now; cuts run one after
 * another, so each later cut moves left by what earlier cuts removed before it.
 */
function shiftLaterCuts(calls: PlanCall[]): void {
  const removed: { s: number; e: number }[] = [];
  const before = (t: number) => removed.reduce((sum, r) => sum + Math.max(0, Math.min(t, r.e) - r.s), 0);
  for (const c of calls) {
    if (c.name !== 'cut_range') continue;
    const s = Number(c.args.start_ms);
    const e = Number(c.args.end_ms);
    c.args = { ...c.args, start_ms: s - before(s), end_ms: e - before(e) };
    removed.push({ s, e });
  }
}

const sameCall = (a: PlanCall, b: PlanCall) => a.name === b.name && JSON.stringify(a.args) === JSON.stringify(b.args);

/** One short question that repeats what was asked, never a generic list of examples. */
function clarifyNothing(zh: boolean, text: string): string {
  const said = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  return zh
    ? `我没看出“${said}”要对视频做什么改动：是剪掉停顿、加字幕，还是别的？`
    : `I could not tell what to change from "${said}": should I trim the pauses, add captions, or something else?`;
}

export function planEmbedded(input: PlanInput): Plan {
  const zh = langOf(input.language) === 'zh';
  const said = input.text.trim();
  // "ok, do it" after a dry run applies exactly what was proposed (the turn checks the version).
  if (input.proposal?.calls.length && said.length <= 40 && CONFIRM.test(said) && /\S/.test(said))
    return { calls: input.proposal.calls, confirms: input.proposal.version };
  if (DRY_RUN.test(normalizeText(said))) {
    // Plan the request without the question ("which takes would you drop" → "which takes drop");
    // a bare "what would you cut?" asks about the usual cuts for talking footage.
    const rest = normalizeText(said).replace(new RegExp(DRY_RUN_ASK.source, 'g'), ' ');
    const inner = planEmbedded({ ...input, text: rest, proposal: null });
    const cuts = inner.calls.filter((c) => c.name !== 'render');
    return {
      calls: inner.clarify || cuts.length === 0 ? [call('trim_pauses'), call('remove_fillers')] : cuts,
      dryRun: true,
    };
  }
  const calls: PlanCall[] = [];
  const notes: string[] = [];
  const script = extractScript(input.text);
  // The dry-run question itself ("what would you cut") is not a cut: plan what remains of the request.
  const request = script ? script.request : input.text;
  const clauses = splitClauses(request);
  for (const raw of clauses) {
    const clause = makeClause(raw, normalizeText);
    const ctx: RuleCtx = {
      clause,
      draft: input.draft,
      media: input.media,
      language: input.language,
      zh,
      planned: calls,
    };
    const matched: string[] = [];
    const clauseCalls: PlanCall[] = [];
    for (const rule of RULES) {
      if (rule.fallback && matched.length) continue;
      if (YIELDS_TO[rule.name]?.some((n) => matched.includes(n))) continue;
      const result = rule.match(ctx);
      if (!result) continue;
      if ('clarify' in result) return { calls: [], clarify: result.clarify };
      matched.push(rule.name);
      clauseCalls.push(...result.calls);
      if (result.note) notes.push(result.note);
    }
    for (const c of clauseCalls) if (c.name === 'undo' || !calls.some((p) => sameCall(p, c))) calls.push(c);
  }
  if (script) {
    // The script's captions replace the recognised ones the request part asked for.
    const at = calls.findIndex((c) => c.name === 'add_captions');
    const style = at >= 0 ? calls[at]!.args : {};
    const scripted = { name: 'captions_from_script', args: { ...style, script: script.script } };
    if (at >= 0) calls.splice(at, 1, scripted);
    else calls.push(scripted);
  }
  if (calls.length === 0 && notes.length === 0) return { calls: [], clarify: clarifyNothing(zh, said) };
  shiftLaterCuts(calls);
  // Export runs last, on the edited timeline, whatever order it was asked in.
  const ordered = [
    ...calls.filter((c) => c.name !== 'render'),
    ...calls.filter((c) => c.name === 'render').slice(0, 1),
  ];
  return notes.length ? { calls: ordered, notes } : { calls: ordered };
}

export const embeddedPlanner: Planner = {
  name: 'embedded',
  plan: async (input) => planEmbedded(input),
};
