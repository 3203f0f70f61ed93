/** What the agent says, in English or Chinese: one phrase per applied operation, and fixed replies. */

import type { MediaInfo } from '../draft/ops/types.ts';
import type { Draft } from '../draft/schema.ts';
import { TrackType } from '../draft/schema.ts';
import { secondsText } from '../draft/summary.ts';

export type Lang = 'en' | 'zh';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const pct = (v: unknown) => `${Math.round(Number(v) * 100)}%`;
const sec = (ms: unknown) => secondsText(Number(ms));

/** A short phrase for a change, from the op's arguments and its effect on the duration. */
export function describeChange(
  lang: Lang,
  name: string,
  args: Record<string, unknown>,
  before: Draft,
  after: Draft,
  media: readonly MediaInfo[],
): string {
  const zh = lang === 'zh';
  const removed = sec(Math.max(0, before.d - after.d));
  const mediaName = (id: unknown) => media.find((m) => m.media_id === id)?.name ?? String(id);
  const captions = after.t.find((t) => t.m.kind === 'caption')?.sg.length ?? 0;
  switch (name) {
    case 'place_media': {
      const n = after.t.find((t) => t.tt === TrackType.video)?.sg.length ?? 0;
      return zh
        ? `已把 ${n} 个素材放上时间线（${after.w}×${after.h}）`
        : `placed ${n} uploaded clip(s) on the timeline (${after.w}×${after.h})`;
    }
    case 'use_media': {
      const names = (args.media_ids as string[]).map(mediaName).join(', ');
      return zh
        ? `时间线重新开始，只有 ${names}（从头开始，${after.w}×${after.h}）`
        : `started the timeline over with only ${names} (from the start, ${after.w}×${after.h})`;
    }
    case 'trim_pauses':
      return zh ? `已剪掉停顿，缩短 ${removed} 秒` : `trimmed the pauses (${removed}s shorter)`;
    case 'remove_fillers':
      return zh ? `已去掉口头禅，缩短 ${removed} 秒` : `removed filler words (${removed}s shorter)`;
    case 'add_captions':
      return zh ? `已添加 ${captions} 条字幕` : `added ${plural(captions, 'caption')}`;
    case 'set_title':
      return zh ? `标题设为“${args.text}”` : `set the title "${args.text}"`;
    case 'add_text':
      return zh ? `已添加文字“${args.text}”` : `added the text "${args.text}"`;
    case 'add_music': {
      const vol = after.t.find((t) => t.m.kind === 'music')?.m.volume;
      return zh
        ? `已添加背景音乐 ${mediaName(args.media_id)}（音量 ${pct(vol)}）`
        : `added background music ${mediaName(args.media_id)} at ${pct(vol)}`;
    }
    case 'set_aspect':
      return zh
        ? `画幅改为 ${args.aspect}（${after.w}×${after.h}）`
        : `changed the aspect ratio to ${args.aspect} (${after.w}×${after.h})`;
    case 'trim_to':
      return zh
        ? `只保留 ${sec(args.start_ms ?? 0)}-${sec(args.end_ms ?? before.d)} 秒`
        : `kept ${sec(args.start_ms ?? 0)}-${sec(args.end_ms ?? before.d)}s`;
    case 'cut_range':
      return zh
        ? `已删除 ${sec(args.start_ms)}-${sec(args.end_ms)} 秒`
        : `cut ${sec(args.start_ms)}-${sec(args.end_ms)}s`;
    case 'set_speed':
      return zh ? `速度设为 ${args.factor} 倍` : `set the speed to ${args.factor}x`;
    case 'fade':
      return zh ? '已设置淡入淡出' : `set the fade ${args.direction === 'both' ? 'in and out' : args.direction}`;
    case 'set_volume':
      return zh
        ? `${args.target} 音量设为 ${pct(args.volume)}`
        : `set the ${args.target} volume to ${pct(args.volume)}`;
    case 'mute':
      return zh
        ? `${args.muted === false ? '已取消静音' : '已静音'}：${args.target}`
        : `${args.muted === false ? 'unmuted' : 'muted'} the ${args.target} sound`;
    case 'normalize_loudness':
      return zh
        ? `响度标准化到 ${after.m?.loudness_lufs} LUFS`
        : `normalised the loudness to ${after.m?.loudness_lufs} LUFS`;
    case 'denoise':
      return zh
        ? after.m?.denoise
          ? '已开启降噪'
          : '已关闭降噪'
        : after.m?.denoise
          ? 'turned on noise reduction'
          : 'turned off noise reduction';
    case 'append_clips': {
      const names = (args.media_ids as string[]).map(mediaName).join(', ');
      return zh ? `已追加 ${names}` : `appended ${names}`;
    }
    case 'reorder':
      return zh ? '已调整片段顺序' : 'reordered the clips';
    case 'remove_track':
      return zh ? `已移除 ${args.target}` : `removed the ${args.target}`;
    default:
      return name;
  }
}

export function uploadHelp(lang: Lang, sessionId: string): string {
  return lang === 'zh'
    ? `上传文件：POST /api/upload-video/nemo_agent/me/${sessionId}（multipart/form-data，一个或多个 file 字段，或 JSON {"url": "https://..."}），大文件可用 PUT /api/upload-video/nemo_agent/me/${sessionId}/raw（X-File-Name 头）。支持 mp4、mov、avi、webm、mkv、jpg、png、gif、webp、mp3、wav、m4a、aac，每个最大 500 MB。上传后直接告诉我要怎么剪。`
    : `To upload: POST /api/upload-video/nemo_agent/me/${sessionId} as multipart/form-data with one or more "file" fields (or JSON {"url": "https://..."}); for large files PUT /api/upload-video/nemo_agent/me/${sessionId}/raw with an X-File-Name header. Accepted: mp4, mov, avi, webm, mkv, jpg, png, gif, webp, mp3, wav, m4a, aac, up to 500 MB each. Then tell me what to do with them.`;
}

/** "chat:trim_pauses+add_captions" → "trim pauses, add captions". */
/** Operation names as a Chinese session reads them in "undid …" (an unknown name is shown as it is). */
const OP_NAMES_ZH: Record<string, string> = {
  place_media: '放置素材',
  trim_pauses: '剪掉停顿',
  remove_fillers: '去掉口头禅',
  add_captions: '加字幕',
  set_title: '设标题',
  add_text: '加文字',
  add_music: '加背景音乐',
  set_aspect: '改画幅',
  trim_to: '截取',
  cut_range: '剪掉片段',
  set_speed: '调速',
  fade: '淡入淡出',
  set_volume: '调音量',
  mute: '静音',
  normalize_loudness: '响度标准化',
  denoise: '降噪',
  append_clips: '追加素材',
  reorder: '调整顺序',
  remove_track: '删除轨道',
};

function opList(op: string, lang: Lang = 'en'): string {
  const names = op.replace(/^chat:/, '').split('+');
  if (lang === 'zh') return names.map((o) => OP_NAMES_ZH[o] ?? o.replace(/_/g, ' ')).join('、');
  return names.map((o) => o.replace(/_/g, ' ')).join(', ');
}

export const TEXT = {
  en: {
    changed: (parts: string[]) => `Done: ${parts.join('; ')}.`,
    nothing: 'Nothing was changed.',
    failed: 'Nothing was changed.',
    partlySaved: 'The edits before the error were saved.',
    credits: (b: { available: number; frozen: number; total: number }) =>
      `You have ${b.available} credits available (${b.frozen} frozen, ${b.total} in total).`,
    nothingToUndo: 'There is nothing to undo.',
    proposalStale:
      'The timeline changed since I proposed those cuts, so I did not apply them: ask "what would you cut?" again.',
    nothingToRedo: 'There is nothing to redo.',
    undone: (op: string) => `undid the last edit (${opList(op)})`,
    redone: (op: string) => `redid ${opList(op)}`,
    renderStarted: (id: string, cost: number) => `Export started (render ${id}, ${cost} credits reserved).`,
    renderProgress: (p: number) => `Rendering… ${Math.round(p * 100)}%`,
    analysisProgress: (name: string, done: number, total: number) =>
      `Analysing the speech in ${name}: ${done} of ${total} parts done`,
    renderDone: (url: string, share?: string) =>
      `Your video is ready. Download: ${url}${share ? `\nShare: ${share}` : ''}`,
    renderFailed: (err: string) => `The export failed: ${err}. Your credits were returned.`,
    renderSlow: (id: string) => `Still rendering. Check it with GET /api/render/proxy/lambda/${id}.`,
    emptyTimeline: 'The timeline is empty: upload a clip first, then ask again.',
  },
  zh: {
    changed: (parts: string[]) => `完成：${parts.join('；')}。`,
    nothing: '没有任何改动。',
    failed: '时间线没有改动。',
    partlySaved: '出错前的修改已保存。',
    credits: (b: { available: number; frozen: number; total: number }) =>
      `可用积分 ${b.available}（冻结 ${b.frozen}，共 ${b.total}）。`,
    nothingToUndo: '没有可以撤销的操作。',
    proposalStale: '提出那些剪辑之后时间线已经变了，所以没有执行：请再问一次“会剪掉什么”。',
    nothingToRedo: '没有可以重做的操作。',
    undone: (op: string) => `已撤销上一步（${opList(op, 'zh')}）`,
    redone: (op: string) => `已重做（${opList(op, 'zh')}）`,
    renderStarted: (id: string, cost: number) => `开始导出（渲染 ${id}，预扣 ${cost} 积分）。`,
    renderProgress: (p: number) => `渲染中… ${Math.round(p * 100)}%`,
    analysisProgress: (name: string, done: number, total: number) =>
      `正在分析 ${name} 的语音：已完成 ${done}/${total} 段`,
    renderDone: (url: string, share?: string) => `视频已生成。下载：${url}${share ? `\n分享：${share}` : ''}`,
    renderFailed: (err: string) => `导出失败：${err}。积分已退回。`,
    renderSlow: (id: string) => `仍在渲染，可用 GET /api/render/proxy/lambda/${id} 查询。`,
    emptyTimeline: '时间线是空的：请先上传素材再告诉我。',
  },
} as const;
