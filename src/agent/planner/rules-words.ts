/**
 * Rules for editing by the words: cutting a stretch of speech named by how it starts and ends,
 * and correcting what the captions say. Quoted text is what the user heard or wants to read,
 * so these rules need quotes: without them the words cannot be told from the request.
 */
import { call, type Rule } from './rule-kit.ts';

const CUT_VERB = /\b(cut|remove|delete|drop|trim|get rid of|take out)\b|剪掉|删掉|删除|去掉|剪去|剪/;

export const cutWordsRule: Rule = {
  name: 'cut_words',
  match: ({ clause }) => {
    const text = clause.bare;
    const q = clause.quotes;
    if (!CUT_VERB.test(text) || q.length === 0) return null;
    // "cut from 'so basically' to 'anyway'" / "从'所以说'剪到'好了'"
    if (q.length >= 2 && /\bfrom\b[^"]*""[^"]*\b(to|until|through|up to)\b|从.*"".*(到|至)/.test(text))
      return { calls: [call('cut_words', { from_text: q[0], to_text: q[1] })] };
    // "cut the sentence 'we went to the beach'" / "删掉'今天天气不错'这句话"
    if (
      /\b(sentence|phrase|line|part where i say|bit where i say)\b|这句|那句|这段话|句子/.test(text) &&
      q.length === 1
    )
      return { calls: [call('cut_words', { from_text: q[0] })] };
    return null;
  },
};

const CHANGE_VERB =
  /\b(change|replace|fix|correct|spell|should (?:be|read|say)|instead of|to read)\b|改成|改为|换成|替换|应该是|纠正|改正/;

export const correctionRule: Rule = {
  name: 'correct_captions',
  match: ({ clause }) => {
    const text = clause.bare;
    const q = clause.quotes;
    if (q.length !== 2 || !CHANGE_VERB.test(text)) return null;
    // "'cards' should be 'Carl's'", "in the captions, change 'cards' to 'Carl's'", "字幕里的'程式'改成'城市'"
    const reversed = /\binstead of\b/.test(text); // "write 'Carl's' instead of 'cards'"
    const [from, to] = reversed ? [q[1]!, q[0]!] : [q[0]!, q[1]!];
    return { calls: [call('correct_captions', { from, to })] };
  },
};

/** "把'那个'都删掉", "remove 'actually' everywhere": a word cut wherever it is said. */
export const wordEverywhereRule: Rule = {
  name: 'remove_word_everywhere',
  match: ({ clause }) => {
    const text = clause.bare;
    if (!CUT_VERB.test(text) || clause.quotes.length === 0) return null;
    if (!/\b(everywhere|every time|all of them|each time|wherever)\b|都|全部|所有/.test(text)) return null;
    return { calls: [call('remove_fillers', { extra_words: clause.quotes })] };
  },
};

export const retakesRule: Rule = {
  name: 'remove_retakes',
  match: ({ clause }) => {
    const text = clause.bare;
    const en =
      /\b(retakes?|re-?takes?|repeated (?:takes?|sentences?|lines?)|false starts?|start(?:ed)? over|said (?:it )?twice)\b/.test(
        text,
      ) ||
      /\b(keep|use) (?:only )?(?:my |the )?(?:last|final|best) takes?\b/.test(text) ||
      /\bwhich takes?\b/.test(text) ||
      /\b(said (?:them|it|that|those)(?: lines?)? (?:again|twice)|repeat(?:ed)? myself|messed up .{0,30}(?:again|lines?|takes?))\b/.test(
        text,
      );
    const zh = /重复的(?:部分|句子|地方|片段)?|重录|重说|说了两遍|最后一遍|口误重来/.test(text);
    return en || zh ? { calls: [call('remove_retakes')] } : null;
  },
};

/** "what would you cut?", "dry run", "先看看会剪掉什么": plan as usual, then only describe. */
export const DRY_RUN =
  /\b(what would you (?:cut|remove|drop|trim)|which (?:takes?|parts?|words?|bits?) would you (?:cut|remove|drop|keep)|dry[- ]run|preview (?:the )?cuts?|(?:show|tell) me what you(?:'d| would) (?:cut|remove)|before (?:you )?cut(?:ting)?)\b|会剪掉什么|会删掉什么|会剪哪些|先看看|先别剪|预览.{0,4}剪/;

/** The asking part of a dry-run question, removed before the rest is planned. */
export const DRY_RUN_ASK =
  /\bwhat would you\b|\bwould you\b|\bdry[- ]run\b|\bpreview\b|\b(?:show|tell) me what you(?:'d| would)\b|\bbefore (?:you )?cut(?:ting)?\b|会剪掉什么|会删掉什么|会剪哪些|先看看|先别剪|预览/;

/** "ok, do it": apply the last dry run's proposal. */
export const CONFIRM =
  /^(?:ok(?:ay)?|yes|yep|yeah|sure|great|perfect|fine|good)?[,.!\s]*(?:go ahead|do it|do that|apply (?:it|that|them)|make it so|sounds good|let'?s do it|proceed)?[.!\s]*$|^(?:好的?|可以|行|没问题)?[，,。！!\s]*(?:执行|照做|就这样(?:做|剪)?|确认|开始吧|剪吧)?[。！!\s]*$/i;

/** "the name is spelled Siobhan", "it's spelled Carl's" (no quotes needed): respell the closest word. */
export const spelledRule: Rule = {
  name: 'respell',
  match: ({ clause }) => {
    const m =
      /\b(?:(?:the|her|his|my|their) )?(?:name|word|it|that)(?:'s| is| should be)? spelled\s+["“']?([\p{L}][\p{L}'’-]*)/iu.exec(
        clause.raw,
      );
    const spelling = clause.quotes[0] ?? m?.[1];
    if (!m || !spelling) return null;
    return { calls: [call('respell', { spelling: spelling.replace(/’/g, "'") })] };
  },
};

/** "transcribe it again", "重新识别": recognition biased toward the session's corrections. */
export const reanalyseRule: Rule = {
  name: 'reanalyse',
  match: ({ clause }) =>
    /\b(re-?analy[sz]e|re-?transcribe|transcribe (?:it |this )?again|listen again|recogni[sz]e (?:it |the speech )?again|(?:redo|remake) the (?:captions|subtitles|transcript) with (?:my |the )?(?:corrections|fixes))\b|重新识别|重新转写|重新听一遍|按更正重新/.test(
      clause.bare,
    )
      ? { calls: [call('reanalyse')] }
      : null,
};
