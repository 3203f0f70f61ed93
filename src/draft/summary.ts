/**
 * The one-line track summary shown at the end of every chat turn (docs/api.md):
 * `Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) 3. Title: "Urban Dreams" (0-3s)`
 */

import type { Draft, Track } from './schema.ts';
import { TrackType } from './schema.ts';

type Lang = 'en' | 'zh';

export function langOf(language: string | undefined): Lang {
  return /^zh/i.test(language ?? '') ? 'zh' : 'en';
}

/** 10000 → "10", 9800 → "9.8" (seconds, at most one decimal). */
export function secondsText(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

function span(track: Track): { s: number; e: number } {
  let s = Number.POSITIVE_INFINITY;
  let e = 0;
  for (const seg of track.sg) {
    s = Math.min(s, seg.s);
    e = Math.max(e, seg.s + seg.d);
  }
  return { s: Number.isFinite(s) ? s : 0, e };
}

const WORDS = {
  en: {
    video: 'Video',
    audio: 'Audio',
    bgm: 'BGM',
    title: 'Title',
    captions: 'Captions',
    text: 'Text',
    clips: (n: number) => `${n} ${n === 1 ? 'clip' : 'clips'}`,
    lines: (n: number) => `${n} ${n === 1 ? 'line' : 'lines'}`,
    muted: 'muted',
    sec: 's',
    colon: ': ',
    comma: ', ',
    open: ' (',
    close: ')',
    header: (n: number) => `Timeline (${n} ${n === 1 ? 'track' : 'tracks'}): `,
    empty: 'Timeline is empty.',
    q: (t: string) => `"${t}"`,
  },
  zh: {
    video: '视频',
    audio: '音频',
    bgm: '背景音乐',
    title: '标题',
    captions: '字幕',
    text: '文字',
    clips: (n: number) => `${n} 个片段`,
    lines: (n: number) => `${n} 条`,
    muted: '静音',
    sec: '秒',
    colon: '：',
    comma: '，',
    open: '（',
    close: '）',
    header: (n: number) => `时间线（${n} 条轨道）：`,
    empty: '时间线为空。',
    q: (t: string) => `“${t}”`,
  },
} as const;

function oneLine(text: string, max = 40): string {
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function describeTrack(track: Track, lang: Lang): string {
  const w = WORDS[lang];
  const { s, e } = span(track);
  const extras: string[] = [];
  let label: string;
  if (track.tt === TrackType.video) {
    label = `${w.video}${w.colon}${track.m.name ?? w.clips(track.sg.length)}`;
    if (track.sg.length > 1) extras.push(w.clips(track.sg.length));
  } else if (track.tt === TrackType.audio) {
    const name = track.m.name ?? '';
    if (track.m.kind === 'music' || /^BGM\b/i.test(name))
      label = `${w.bgm}${w.colon}${name.replace(/^BGM:\s*/i, '') || '—'}`;
    else label = `${w.audio}${w.colon}${name || '—'}`;
  } else if (track.m.kind === 'caption') {
    label = w.captions;
    extras.push(w.lines(track.sg.length));
  } else {
    const texts = track.sg.slice(0, 3).map((seg) => w.q(oneLine(seg.text)));
    if (track.sg.length > 3) texts.push('…');
    const isTitle = track.m.kind === 'title' || /^title$/i.test(track.m.name ?? '');
    const isText = track.m.kind === 'text' || !track.m.name;
    label = `${isTitle ? w.title : isText ? w.text : track.m.name}${w.colon}${texts.join(w.comma)}`;
  }
  if (track.tt !== TrackType.text) {
    if (track.m.muted) extras.push(w.muted);
    else if (track.m.volume !== undefined && track.m.volume !== 1) extras.push(`${Math.round(track.m.volume * 100)}%`);
  }
  const range = track.sg.length ? `${secondsText(s)}-${secondsText(e)}${w.sec}` : '—';
  return `${label}${w.open}${[range, ...extras].join(w.comma)}${w.close}`;
}

/** The summary line in the session's language (Chinese for zh-*, English otherwise). */
export function summarizeTracks(draft: Pick<Draft, 't'>, language = 'en'): string {
  const lang = langOf(language);
  const w = WORDS[lang];
  if (draft.t.length === 0) return w.empty;
  return w.header(draft.t.length) + draft.t.map((t, i) => `${i + 1}. ${describeTrack(t, lang)}`).join(' ');
}
