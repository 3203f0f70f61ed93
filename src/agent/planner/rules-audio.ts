/** Rules for sound: background music, volume, mute, loudness, denoise, fades. */

import type { MediaInfo } from '../../draft/ops/types.ts';
import { musicTrack } from '../../draft/ops/util.ts';
import { TrackType } from '../../draft/schema.ts';
import { findOrdinals, mediaByName, pick } from './media-ref.ts';
import { findPercent } from './numbers.ts';
import { audioMedia, call, MUSIC_WORDS, REMOVE_WORDS, type Rule, type RuleCtx, t, ZH_CUT_SILENCE } from './rule-kit.ts';
import { firstTimeMs } from './times.ts';

const MUTE_WORDS =
  /\b(mute|unmute|silence (?:the|my|all))\b|取消静音|静音|消音|关掉声音|关闭声音|去掉原声|去掉声音|不要声音|恢复声音|打开声音/;
const UNMUTE_WORDS = /\bunmute\b|取消静音|恢复声音|打开声音/;
const LOUDER = /\b(louder|higher|up|raise|increase|boost)\b|大一点|大声|调高|提高|调大|加大/;
const QUIETER = /\b(quieter|lower|down|softer|reduce|decrease)\b|小一点|小声|调低|降低|调小|减小|轻一点/;
const ADD_WORDS = /\b(add|use|put|play|insert|include|change|switch|replace|set)\b|加|添加|配上|用|放|插入|换/;

/** A new level from a percentage or "louder"/"quieter" relative to the current one. */
function level(text: string, current: number, max: number): number | null {
  const pct = findPercent(text);
  if (pct !== null) return Math.min(pct, max);
  if (/\bhalf\b|一半/.test(text)) return current / 2;
  if (LOUDER.test(text)) return Math.min(max, Math.round(current * 150) / 100);
  if (QUIETER.test(text)) return Math.round(current * 60) / 100;
  return null;
}

function fadeArgs(text: string): Record<string, number> {
  const args: Record<string, number> = {};
  const ms = firstTimeMs(text.replace(/\d+(?:\.\d+)?\s*%/g, ''));
  if (/fade[ -]?in|\bfade\b[^,.]*?\bin\b|淡入|渐入|渐强/.test(text)) args.fade_in_ms = ms ?? 1000;
  if (/fade[ -]?out|\bfade\b[^,.]*?\bout\b|淡出|渐出|渐弱/.test(text)) args.fade_out_ms = ms ?? 2000;
  return args;
}

/** The audio file meant: by name, by order among audio uploads, else the latest one. */
function pickAudio(ctx: RuleCtx): MediaInfo | undefined {
  const audio = audioMedia(ctx.media);
  const named = mediaByName(ctx.clause.full, ctx.media).find((m) => m.kind === 'audio' || m.has_audio);
  if (named) return named;
  const ord = findOrdinals(ctx.clause.bare)[0];
  if (ord !== undefined) return pick(audio, ord);
  return audio.at(-1);
}

export const musicRule: Rule = {
  name: 'music',
  match: (ctx) => {
    const text = ctx.clause.bare;
    const namedAudio = mediaByName(ctx.clause.full, ctx.media).some((m) => m.kind === 'audio');
    if (!MUSIC_WORDS.test(text) && !namedAudio) return null;
    if (MUTE_WORDS.test(text)) return null; // the mute rule handles "mute the music"
    const existing = musicTrack(ctx.draft);
    if (REMOVE_WORDS.test(text) && !ADD_WORDS.test(text.replace(REMOVE_WORDS, '')))
      return { calls: [call('remove_track', { target: 'music' })] };
    const currentVolume = existing?.m.volume ?? 0.3;
    const vol = level(text, currentVolume, 1);
    const fades = fadeArgs(text);
    if (existing && !ADD_WORDS.test(text) && !namedAudio) {
      if (Object.keys(fades).length) {
        const seg = existing.sg[0];
        return {
          calls: [
            call('add_music', {
              media_id: seg?.src,
              volume: vol ?? currentVolume,
              duck: existing.m.duck ?? true,
              ...fades,
            }),
          ],
        };
      }
      if (vol !== null) return { calls: [call('set_volume', { target: 'music', volume: vol })] };
    }
    const media = pickAudio(ctx);
    if (!media) {
      return {
        clarify: t(
          ctx,
          'Which music? Upload an audio file (mp3, wav, m4a) to this session first, then ask again.',
          '用哪首音乐？请先上传一个音频文件（mp3、wav、m4a），再告诉我。',
        ),
      };
    }
    const args: Record<string, unknown> = { media_id: media.media_id, ...fades };
    if (vol !== null) args.volume = vol;
    if (/\b(no|without|don't|do not) duck|不要压低|不闪避/.test(text)) args.duck = false;
    if (/\b(no|without|don't|do not) loop|\bonce\b|不循环|不要循环/.test(text)) args.loop = false;
    return { calls: [call('add_music', args)] };
  },
};

function target(ctx: RuleCtx): string {
  const text = ctx.clause.bare;
  if (MUSIC_WORDS.test(text)) return 'music';
  if (/\b(everything|all|whole)\b|全部|所有|整体/.test(text)) return 'all';
  if (
    /\b(voice ?over|narration)\b|旁白|配音/.test(text) &&
    ctx.draft.t.some((tr) => tr.tt === TrackType.audio && tr.m.kind !== 'music')
  )
    return 'voiceover';
  return 'video';
}

export const muteRule: Rule = {
  name: 'mute',
  match: (ctx) => {
    const text = ctx.clause.bare;
    if (!MUTE_WORDS.test(text)) return null;
    if (ZH_CUT_SILENCE.test(text)) return null; // "cut the silences"
    return { calls: [call('mute', { target: target(ctx), muted: !UNMUTE_WORDS.test(text) })] };
  },
};

export const volumeRule: Rule = {
  name: 'volume',
  match: (ctx) => {
    const text = ctx.clause.bare;
    if (MUSIC_WORDS.test(text) || MUTE_WORDS.test(text) || LOUDNESS_WORDS.test(text)) return null;
    if (!/\b(volume|loud(?:er)?|quiet(?:er)?|softer)\b|音量|声音|大声|小声|原声/.test(text)) return null;
    const tgt = target(ctx);
    const previous = ctx.planned.at(-1);
    const explicit = /\b(video|original|clips?|voice|everything|all)\b|原声|视频|人声|全部|所有/.test(text);
    if (
      !explicit &&
      previous &&
      (previous.name === 'add_music' || (previous.name === 'set_volume' && previous.args.target === 'music'))
    ) {
      // "换成 x.mp3，音量20%": the level belongs to the music just named.
      const vol = level(text, Number(previous.args.volume ?? 0.3), 1);
      if (vol !== null) {
        previous.args.volume = vol;
        return { calls: [] };
      }
    }
    const current =
      ctx.draft.t.find((tr) => (tgt === 'video' ? tr.tt === TrackType.video : tr.id === tgt))?.m.volume ?? 1;
    const vol = level(text, current, 4);
    if (vol === null)
      return {
        clarify: t(ctx, 'To what level? For example: "set the volume to 50%".', '调到多少？例如：“音量调到50%”。'),
      };
    return { calls: [call('set_volume', { target: tgt, volume: vol })] };
  },
};

const LOUDNESS_WORDS =
  /normali[sz]e|loudness|\blufs\b|level (?:out )?the (?:audio|sound|volume)|even out|(?:volume|levels?|audio) (?:consistent|even)|consistent (?:volume|levels?|audio)|响度|标准化|统一音量|音量均衡|平衡音量|音量一致|音量统一/;

export const loudnessRule: Rule = {
  name: 'loudness',
  match: ({ clause }) => {
    if (!LOUDNESS_WORDS.test(clause.bare)) return null;
    const lufs = /(-\d+(?:\.\d+)?)\s*lufs/.exec(clause.bare);
    return { calls: [call('normalize_loudness', lufs ? { lufs: Number(lufs[1]) } : {})] };
  },
};

export const denoiseRule: Rule = {
  name: 'denoise',
  match: ({ clause }) => {
    const text = clause.bare;
    if (!/denois|\bnoise\b|\bnoisy\b|\bhiss\b|\bhum\b|降噪|去噪|噪音|杂音|底噪|噪声/.test(text)) return null;
    const off = /\b(no|turn off|disable|without|stop)\b|关闭|不要|取消/.test(text);
    return { calls: [call('denoise', { enabled: !off })] };
  },
};

export const fadeRule: Rule = {
  name: 'fade',
  match: ({ clause }) => {
    const text = clause.bare;
    if (!/\bfade|淡入|淡出|渐入|渐出|渐隐|渐显/.test(text) || MUSIC_WORDS.test(text)) return null;
    // "fade in and out" / "fade in/out" name both ends with one "fade".
    const both = /\bfade[ -]?(?:in\s*(?:and|&|\/|\+)\s*out|out\s*(?:and|&|\/|\+)\s*in)\b/.test(text);
    const hasIn = both || /fade[ -]?in|fade from black|淡入|渐入|渐显/.test(text);
    const hasOut = both || /fade[ -]?out|fade to black|淡出|渐出|渐隐/.test(text);
    const direction = hasIn === hasOut ? 'both' : hasIn ? 'in' : 'out';
    const off = /\b(no|remove|without)\b.*fade|去掉|取消|不要/.test(text);
    return { calls: [call('fade', { direction, duration_ms: off ? 0 : (firstTimeMs(text) ?? 1000) })] };
  },
};
