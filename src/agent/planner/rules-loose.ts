/**
 * Requests as people type them, not as docs/chat.md phrases them: "the music is too loud",
 * "show what I'm saying as text", "title it My Trip to Rome", "send me the video", and the
 * vague "edit my raw footage", which gets a default polish for talking footage.
 */
import { TrackType } from '../../draft/schema.ts';
import { call, MUSIC_WORDS, type Rule, t } from './rule-kit.ts';
import { timing } from './rules-overlay.ts';

const TOO_LOUD =
  /\b(too (?:loud|strong|much)|drowns? (?:me|out|my voice)|overpowers?|turn (?:it|the \w+) down|quieter|softer|lower)\b|太吵|太大声|太响|太大了|盖住|压过|小声一点|小一点|调低|调小|降低/;
const TOO_QUIET =
  /\b(too (?:quiet|soft|low)|barely hear|can'?t hear|hard to hear|turn (?:it|the \w+) up|louder|boost)\b|太小声|太小了|听不清|听不见|大声一点|大一点|调高|调大|提高/;
const VOICE =
  /\b(voice|me|myself|my (?:voice|speech|talking)|speech|talking|dialogue|vocals?)\b|人声|说话|讲话|原声|我的声音|声音/;

/** "the music is too loud", "I can barely hear myself", "音乐太吵了": relative to the current level. */
export const relativeVolumeRule: Rule = {
  name: 'relative_volume',
  match: (ctx) => {
    const text = ctx.clause.bare;
    const down = TOO_LOUD.test(text);
    const up = TOO_QUIET.test(text);
    if (down === up || /\d+\s*(?:%|percent\b|per cent\b)|百分之/.test(text)) return null; // a level given: the volume rule sets it
    const music = MUSIC_WORDS.test(text);
    if (!music && !VOICE.test(text) && !/\b(sound|audio|volume)\b|音量/.test(text)) return null;
    const track = music
      ? ctx.draft.t.find((tr) => tr.tt === TrackType.audio && tr.m.kind === 'music')
      : ctx.draft.t.find((tr) => tr.tt === TrackType.video);
    if (music && !track) return null; // no music yet: "add music" rules apply
    const current = track?.m.volume ?? (music ? 0.3 : 1);
    // A step a listener notices (±4 dB) without jumping; the voice may go up to 4×.
    const volume = Math.round(Math.min(music ? 1 : 4, Math.max(0.02, current * (down ? 0.6 : 1.6))) * 100) / 100;
    return { calls: [call('set_volume', { target: music ? 'music' : 'video', volume })] };
  },
};

/** "show what I'm saying as text on the screen", "把我说的话显示在屏幕上" */
export const looseCaptionsRule: Rule = {
  name: 'captions_loose',
  match: ({ clause }) => {
    const text = clause.bare;
    const en =
      /\b(what i(?:'m| am) saying|what i say|what's being said|my words|the words|spoken words|as i (?:talk|speak))\b.*\b(on (?:the )?screen|as text|on the video|written)\b|\b(on (?:the )?screen|as text)\b.*\b(as i (?:talk|speak)|what i(?:'m| am) saying)\b/.test(
        text,
      );
    const zh = /(我说的话|说的话|讲的内容|说的内容).{0,8}(显示|打|放|写)(在)?(屏幕|画面|视频)/.test(text);
    return en || zh ? { calls: [call('add_captions')] } : null;
  },
};

/** "title it My Trip to Rome", "call it Weekend Vlog" (no quotes). */
export const looseTitleRule: Rule = {
  name: 'title_loose',
  match: (ctx) => {
    const m = /^(?:title it|call it|name it|caption it)\s+(.+)$/i.exec(ctx.clause.raw.trim());
    if (!m || ctx.clause.quotes.length) return null;
    const args: Record<string, unknown> = { text: m[1]!.replace(/[.!]+$/, '').trim() };
    timing(ctx, args, 3000);
    return { calls: [call('set_title', args)] };
  },
};

/** "put Follow me on screen for the last five seconds", "最后五秒显示“关注我”" */
export const onScreenTextRule: Rule = {
  name: 'on_screen_text',
  match: (ctx) => {
    const raw = ctx.clause.raw.trim();
    const quoted = ctx.clause.quotes[0];
    const en = /^(?:put|show|display|add|write)\s+(.+?)\s+on(?:\s+the)?\s+screen\b/i.exec(raw);
    const zh = /显示|打上|放上|写上/.test(ctx.clause.bare) && quoted;
    const words = quoted ?? en?.[1]?.replace(/^["“']|["”']$/g, '');
    if (!(en || zh) || !words || /^(?:the )?(?:captions?|subtitles?|words|text)$/i.test(words)) return null;
    const args: Record<string, unknown> = { text: words };
    timing(ctx, args, 3000);
    return { calls: [call('add_text', args)] };
  },
};

/** "send me the video", "give me the final video", "发给我": export. */
export const sendMeRule: Rule = {
  name: 'send_me',
  match: ({ clause }) =>
    /\b(send (?:it|me|over)(?: the (?:video|file|final(?: cut| version)?|result))?|give me the (?:final )?(?:video|file|cut|result|mp4)|i'?m done|final (?:cut|version) please)\b|发给我|给我视频|把视频给我|做好了给我/.test(
      clause.bare,
    )
      ? { calls: [call('render')] }
      : null,
};

export const POLISH_CALLS = ['trim_pauses', 'remove_fillers', 'add_captions', 'normalize_loudness'];

/**
 * "edit my raw video footage", "make it look better", "帮我剪一下这个视频": a vague request for an
 * edit gets the default polish for talking footage, said plainly, with undo one word away.
 */
export const polishRule: Rule = {
  name: 'polish',
  fallback: true,
  match: (ctx) => {
    const text = ctx.clause.bare;
    const en =
      /\b(edit (?:my|this|the) (?:raw )?(?:video|footage|clip|recording)s?|make (?:it|this) (?:look|sound) (?:better|good|nice|great|professional)|make (?:it|this) (?:good|better|nicer)|clean (?:this|it) up|polish (?:it|this)|do your (?:magic|thing)|fix (?:it|this) up)\b/.test(
        text,
      );
    const zh = /帮我剪一下|剪一下|剪辑一下|帮我剪辑|弄好看|好看一点|优化一下|处理一下|美化|精剪/.test(text);
    if (!en && !zh) return null;
    return {
      calls: POLISH_CALLS.map((name) => call(name)),
      note: t(
        ctx,
        'I applied a default polish for talking footage: pauses trimmed, filler words removed, captions added, loudness normalised. Say "undo" to revert it, or tell me what to change.',
        '我按口播视频的常用方式处理了一遍：剪掉停顿、去掉口头禅、加字幕、统一音量。说“撤销”即可还原，或者告诉我要改什么。',
      ),
    };
  },
};
