/**
 * "Here is my script, use it for the subtitles: …": the script is everything after the colon,
 * taken before the request is split into clauses (a script is full of commas and full stops that
 * are not separate requests). The request part before the colon is planned as usual.
 */
const EN = /^([\s\S]{0,300}?\b(?:script|transcript|what i (?:said|read))\b[^:\n]{0,120}):\s*([\s\S]+)$/i;
const ZH = /^([\s\S]{0,100}?(?:脚本|稿子|文稿|讲稿|台词|文案|原文)[^:：\n]{0,60})[:：]\s*([\s\S]+)$/;
const CAPTION_CUE = /\b(captions?|subtitles?|subs)\b|字幕/i;

export function extractScript(text: string): { request: string; script: string } | null {
  const m = EN.exec(text) ?? ZH.exec(text);
  if (!m) return null;
  const [request, script] = [m[1]!.trim(), m[2]!.trim()];
  // A script is for the captions only when the request says so.
  if (!CAPTION_CUE.test(request) || script.length < 4) return null;
  return { request, script };
}
