/**
 * How creators actually ask, in English and Chinese: a phrasing set written from requests people
 * type into editing apps and chats, kept apart from the rules' own unit tests. Each request names
 * the operations a person would expect. The run prints the hit rate; the bound keeps it from
 * sliding back.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { planEmbedded } from '../../src/agent/planner/embedded.ts';
import { addCaptions } from '../../src/draft/ops/add-captions.ts';
import { addMusic } from '../../src/draft/ops/add-music.ts';
import { baseDraft, ctx, MEDIA } from './ops-fixtures.ts';

const WITH_MUSIC = addMusic.apply(
  addCaptions.apply(baseDraft(), addCaptions.args.parse({}), ctx()),
  addMusic.args.parse({ media_id: 'med_m' }),
  ctx(),
);

/** [request, language, expected op names (order-free; "render" for export)] */
const SET: [string, 'en' | 'zh', string[]][] = [
  ['trim the pauses', 'en', ['trim_pauses']],
  ['cut out the dead air', 'en', ['trim_pauses']],
  ['remove the awkward silences', 'en', ['trim_pauses']],
  ['tighten it up, there are too many gaps', 'en', ['trim_pauses']],
  ['get rid of the long pauses between sentences', 'en', ['trim_pauses']],
  ['can you remove the ums and uhs', 'en', ['remove_fillers']],
  ['take out all my filler words', 'en', ['remove_fillers']],
  ['I say um a lot, fix that', 'en', ['remove_fillers']],
  ['add captions', 'en', ['add_captions']],
  ['add subtitles please', 'en', ['add_captions']],
  ["show what I'm saying as text on the screen", 'en', ['add_captions']],
  ['put the words on screen as I talk', 'en', ['add_captions']],
  ['I want those tiktok style word by word captions', 'en', ['add_captions']],
  ['big bold subtitles at the top', 'en', ['add_captions']],
  ['make it vertical for tiktok', 'en', ['set_aspect']],
  ['make it 9:16', 'en', ['set_aspect']],
  ['format it for instagram reels', 'en', ['set_aspect']],
  ['square please', 'en', ['set_aspect']],
  ['make it landscape for youtube', 'en', ['set_aspect']],
  ['add some lofi music at 35%', 'en', ['add_music']],
  ['put lofi.mp3 in the background', 'en', ['add_music']],
  ['add background music', 'en', ['add_music']],
  ['title it My Trip to Rome', 'en', ['set_title']],
  ['add a title that says Welcome Back', 'en', ['set_title']],
  ['put "Follow me" on screen for the last five seconds', 'en', ['add_text']],
  ['put Follow me on screen for the last five seconds', 'en', ['add_text']],
  ['the voice is too quiet', 'en', ['set_volume']],
  ['I can barely hear myself', 'en', ['set_volume']],
  ['the music is too loud', 'en', ['set_volume']],
  ['turn the music down a bit', 'en', ['set_volume']],
  ['make the music louder', 'en', ['set_volume']],
  ['mute the original audio', 'en', ['mute']],
  ['speed it up', 'en', ['set_speed']],
  ['make it a bit faster', 'en', ['set_speed']],
  ['slow it down a little', 'en', ['set_speed']],
  ['play it at 1.5x', 'en', ['set_speed']],
  ['cut the first 3 seconds', 'en', ['cut_range']],
  ['remove the last 2 seconds', 'en', ['cut_range']],
  ['only keep the first 30 seconds', 'en', ['trim_to']],
  ['fade in and out', 'en', ['fade']],
  ['add a fade at the end', 'en', ['fade']],
  ['reduce the background noise', 'en', ['denoise']],
  ['clean up the audio, there is a hum', 'en', ['denoise']],
  ['make the volume consistent', 'en', ['normalize_loudness']],
  ['normalize the loudness for youtube', 'en', ['normalize_loudness']],
  ['export', 'en', ['render']],
  ['export it', 'en', ['render']],
  ['send me the video', 'en', ['render']],
  ['download', 'en', ['render']],
  ["I'm done, give me the final video", 'en', ['render']],
  ['render it in 1080p', 'en', ['render']],
  ['undo that', 'en', ['undo']],
  ['go back, I liked it better before', 'en', ['undo']],
  ['redo', 'en', ['redo']],
  ['how many credits do I have left', 'en', ['show_credits']],
  ['trim the pauses, add captions and make it 9:16', 'en', ['trim_pauses', 'add_captions', 'set_aspect']],
  ['remove the ums, add captions, then export', 'en', ['remove_fillers', 'add_captions', 'render']],
  ['make it vertical and add subtitles', 'en', ['set_aspect', 'add_captions']],
  ['edit my raw video footage', 'en', ['trim_pauses', 'remove_fillers', 'add_captions', 'normalize_loudness']],
  ['make it look better', 'en', ['trim_pauses', 'remove_fillers', 'add_captions', 'normalize_loudness']],
  ['just make it good for social media', 'en', ['trim_pauses', 'remove_fillers', 'add_captions', 'normalize_loudness']],
  ['clean this up for me', 'en', ['trim_pauses', 'remove_fillers', 'add_captions', 'normalize_loudness']],
  ['remove the captions', 'en', ['remove_track']],
  ['no music', 'en', ['remove_track']],
  ['get rid of the title', 'en', ['remove_track']],
  ['remove the retakes', 'en', ['remove_retakes']],
  ['I messed up a few lines and said them again, keep the good ones', 'en', ['remove_retakes']],
  ["cut from 'so basically' to 'anyway'", 'en', ['cut_words']],
  ["remove the word 'actually' everywhere", 'en', ['remove_fillers']],
  ["in the captions, change 'cards' to 'Carl's'", 'en', ['correct_captions']],
  // Chinese
  ['剪掉停顿', 'zh', ['trim_pauses']],
  ['把中间空白的地方剪掉', 'zh', ['trim_pauses']],
  ['去掉没说话的部分', 'zh', ['trim_pauses']],
  ['节奏太拖了，紧凑一点', 'zh', ['trim_pauses']],
  ['去掉嗯啊这些口头禅', 'zh', ['remove_fillers']],
  ['加字幕', 'zh', ['add_captions']],
  ['帮我配上字幕', 'zh', ['add_captions']],
  ['把我说的话显示在屏幕上', 'zh', ['add_captions']],
  ['字幕要大一点，放在上面', 'zh', ['add_captions']],
  ['改成竖屏', 'zh', ['set_aspect']],
  ['做成抖音的尺寸', 'zh', ['set_aspect']],
  ['改成横屏', 'zh', ['set_aspect']],
  ['加点背景音乐', 'zh', ['add_music']],
  ['背景音乐音量30%', 'zh', ['set_volume']], // the draft already has music: its level changes
  ['音乐太吵了', 'zh', ['set_volume']],
  ['背景音乐小声一点', 'zh', ['set_volume']],
  ['人声太小了', 'zh', ['set_volume']],
  ['声音大一点', 'zh', ['set_volume']],
  ['再快一点', 'zh', ['set_speed']],
  ['加速到1.5倍', 'zh', ['set_speed']],
  ['慢一点', 'zh', ['set_speed']],
  ['加个标题叫我的旅行', 'zh', ['set_title']],
  ['标题改成“周末vlog”', 'zh', ['set_title']],
  ['最后五秒显示“关注我”', 'zh', ['add_text']],
  ['剪掉开头3秒', 'zh', ['cut_range']],
  ['去掉最后两秒', 'zh', ['cut_range']],
  ['只保留前30秒', 'zh', ['trim_to']],
  ['加个淡入淡出', 'zh', ['fade']],
  ['降噪', 'zh', ['denoise']],
  ['去掉背景杂音', 'zh', ['denoise']],
  ['音量统一一下', 'zh', ['normalize_loudness']],
  ['导出', 'zh', ['render']],
  ['导出视频', 'zh', ['render']],
  ['发给我', 'zh', ['render']],
  ['下载', 'zh', ['render']],
  ['撤销', 'zh', ['undo']],
  ['刚才那个不要了，恢复原样', 'zh', ['undo']],
  ['我还有多少积分', 'zh', ['show_credits']],
  ['帮我剪一下这个视频', 'zh', ['trim_pauses', 'remove_fillers', 'add_captions', 'normalize_loudness']],
  ['帮我把视频弄好看一点', 'zh', ['trim_pauses', 'remove_fillers', 'add_captions', 'normalize_loudness']],
  ['剪掉停顿，加字幕，改成竖屏', 'zh', ['trim_pauses', 'add_captions', 'set_aspect']],
  ['去掉重复的部分', 'zh', ['remove_retakes']],
  ["字幕里的'程式'改成'城市'", 'zh', ['correct_captions']],
  ['不要字幕了', 'zh', ['remove_track']],
];

let hits = 0;
const misses: string[] = [];
afterAll(() => {
  const rate = hits / SET.length;
  console.log(`phrasing set: ${hits}/${SET.length} understood (${(rate * 100).toFixed(1)}%)`);
  if (misses.length) console.log(`missed:\n  ${misses.join('\n  ')}`);
});

describe('requests as people type them', () => {
  it(`has at least 100 requests in English and Chinese`, () => {
    expect(SET.length).toBeGreaterThanOrEqual(100);
    expect(SET.filter((s) => s[1] === 'zh').length).toBeGreaterThanOrEqual(40);
  });

  it('understands at least 90% of them (hit rate printed)', () => {
    for (const [text, language, expected] of SET) {
      const plan = planEmbedded({ text, language, draft: WITH_MUSIC, media: MEDIA });
      const names = [...new Set(plan.calls.map((c) => c.name))].sort();
      const ok = !plan.clarify && JSON.stringify(names) === JSON.stringify([...expected].sort());
      if (ok) hits++;
      else
        misses.push(`${text} → ${plan.clarify ? 'asks' : names.join(', ') || 'nothing'} (want ${expected.join(', ')})`);
    }
    expect(hits / SET.length).toBeGreaterThanOrEqual(0.9);
  });
});
