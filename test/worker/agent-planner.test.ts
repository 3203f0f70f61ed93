import { describe, expect, it } from 'vitest';
import { planEmbedded, splitClauses } from '../../src/agent/planner/embedded.ts';
import { normalizeText, parseChineseNumber } from '../../src/agent/planner/numbers.ts';
import { findRange } from '../../src/agent/planner/times.ts';
import { addMusic } from '../../src/draft/ops/add-music.ts';
import { setTitle } from '../../src/draft/ops/add-text.ts';
import type { MediaInfo } from '../../src/draft/ops/types.ts';
import { type Draft, DraftSchema } from '../../src/draft/schema.ts';

const MEDIA: MediaInfo[] = [
  { media_id: 'm1', name: 'clip1.mp4', kind: 'video', duration_ms: 20_000, width: 1080, height: 1920, has_audio: true },
  { media_id: 'm2', name: 'clip2.mov', kind: 'video', duration_ms: 8000, width: 1080, height: 1920, has_audio: true },
  { media_id: 'm3', name: 'beach.mp4', kind: 'video', duration_ms: 5000, width: 1920, height: 1080, has_audio: false },
  { media_id: 'm4', name: 'music.mp3', kind: 'audio', duration_ms: 60_000 },
  { media_id: 'm5', name: 'lofi-beat.wav', kind: 'audio', duration_ms: 90_000 },
];

/** Two clips placed (clip1, clip2); beach.mp4 uploaded but not on the timeline yet. */
const DRAFT: Draft = DraftSchema.parse({
  w: 1080,
  h: 1920,
  d: 28_000,
  t: [
    {
      id: 'v1',
      tt: 0,
      m: { name: 'clip1' },
      sg: [
        { id: 's1', src: 'm1', s: 0, d: 20_000 },
        { id: 's2', src: 'm2', s: 20_000, d: 8000 },
      ],
    },
  ],
});
const WITH_MUSIC = addMusic.apply(DRAFT, addMusic.args.parse({ media_id: 'm4' }), {
  media: MEDIA,
  analysis: {},
  language: 'en',
});

const WITH_TITLE = setTitle.apply(DRAFT, setTitle.args.parse({ text: 'Tokyo', size: 100 }), {
  media: MEDIA,
  analysis: {},
  language: 'en',
});

const plan = (text: string, opts: { language?: string; draft?: Draft } = {}) =>
  planEmbedded({ text, language: opts.language ?? 'en', draft: opts.draft ?? DRAFT, media: MEDIA });

type Row = [text: string, expected: [string, Record<string, unknown>?][], opts?: { language?: string; draft?: Draft }];

const ROWS: Row[] = [
  // The seed's keyword table.
  ['export', [['render']]],
  ['导出', [['render']]],
  ['download the video', [['render']]],
  ['how many credits do I have?', [['show_credits']]],
  ['积分还有多少', [['show_credits']]],
  ['check my balance', [['show_credits']]],
  ['余额', [['show_credits']]],
  ['status', [['show_state']]],
  ['状态', [['show_state']]],
  ['show tracks', [['show_state']]],
  ['how do I upload a file?', [['upload_help']]],
  ['上传', [['upload_help']]],
  // Compound requests.
  ['trim the pauses, add captions, and export as a clean MP4', [['trim_pauses'], ['add_captions'], ['render']]],
  [
    '把视频改成竖屏，加字幕，背景音乐音量30%',
    [['set_aspect', { aspect: '9:16' }], ['add_captions'], ['add_music', { media_id: 'm5', volume: 0.3 }]],
    { language: 'zh' },
  ],
  ['remove um and uh, then normalize the loudness', [['remove_fillers'], ['normalize_loudness']]],
  [
    'make it square and add music.mp3 at 35%',
    [
      ['set_aspect', { aspect: '1:1' }],
      ['add_music', { media_id: 'm4', volume: 0.35 }],
    ],
  ],
  ['剪掉停顿然后导出', [['trim_pauses'], ['render']], { language: 'zh' }],
  [
    '降噪，声音标准化，淡入淡出',
    [['denoise', { enabled: true }], ['normalize_loudness'], ['fade', { direction: 'both' }]],
  ],
  // Numbers and times in words or digits.
  ['cut the first three seconds', [['cut_range', { start_ms: 0, end_ms: 3000 }]]],
  ['删掉前3秒', [['cut_range', { start_ms: 0, end_ms: 3000 }]]],
  ['剪掉前三秒', [['cut_range', { start_ms: 0, end_ms: 3000 }]]],
  ['keep only the first ten seconds', [['trim_to', { start_ms: 0, end_ms: 10_000 }]]],
  ['remove from 0:05 to 0:08', [['cut_range', { start_ms: 5000, end_ms: 8000 }]]],
  ['cut between 2 and 4.5 seconds', [['cut_range', { start_ms: 2000, end_ms: 4500 }]]],
  ['删除3秒到5秒', [['cut_range', { start_ms: 3000, end_ms: 5000 }]]],
  ['cut the last five seconds', [['cut_range', { start_ms: 23_000, end_ms: 28_000 }]]],
  ['只保留最后10秒', [['trim_to', { start_ms: 18_000, end_ms: 28_000 }]]],
  ['shorten it to 15 seconds', [['trim_to', { start_ms: 0, end_ms: 15_000 }]]],
  ['play it at 1.5x', [['set_speed', { factor: 1.5 }]]],
  ['speed up two times faster', [['set_speed', { factor: 2 }]]],
  ['一点五倍速', [['set_speed', { factor: 1.5 }]]],
  ['slow motion please', [['set_speed', { factor: 0.5 }]]],
  ['背景音乐音量百分之三十', [['set_volume', { target: 'music', volume: 0.3 }]], { draft: WITH_MUSIC }],
  [
    'turn the music down to twenty five percent',
    [['set_volume', { target: 'music', volume: 0.25 }]],
    { draft: WITH_MUSIC },
  ],
  ['make the music quieter', [['set_volume', { target: 'music', volume: 0.18 }]], { draft: WITH_MUSIC }],
  ['trim pauses longer than one and a half seconds', [['trim_pauses', { min_silence_ms: 1500 }]]],
  ['fade out over 2 seconds', [['fade', { direction: 'out', duration_ms: 2000 }]]],
  // docs/chat.md's own example: "in and out" is both ends, not a fade in.
  ['fade in and out', [['fade', { direction: 'both', duration_ms: 1000 }]]],
  ['fade in/out over 2 seconds', [['fade', { direction: 'both', duration_ms: 2000 }]]],
  ['fade in', [['fade', { direction: 'in' }]]],
  // File references by name or order.
  ['add the third clip', [['append_clips', { media_ids: ['m3'] }]]],
  ['append beach.mp4', [['append_clips', { media_ids: ['m3'] }]]],
  ['加上第三个视频', [['append_clips', { media_ids: ['m3'] }]]],
  ['use lofi-beat.wav as background music with a fade in', [['add_music', { media_id: 'm5', fade_in_ms: 1000 }]]],
  ['add the first song as background music', [['add_music', { media_id: 'm4' }]]],
  ['put the second clip first', [['reorder', { order: [2] }]]],
  ['swap the first and second clips', [['reorder', { order: [2, 1] }]]],
  ['把第二个视频放到最前面', [['reorder', { order: [2] }]]],
  ['combine all my videos', [['append_clips', { media_ids: ['m3'] }]]],
  // Text, captions, audio, aspect.
  ['add a title "Urban Dreams"', [['set_title', { text: 'Urban Dreams' }]]],
  ['set the title to Summer Trip at the top', [['set_title', { text: 'Summer Trip', pos: 'top' }]]],
  ['加标题“城市之梦”', [['set_title', { text: '城市之梦' }]]],
  [
    'add text "Subscribe!" at the end for 2 seconds',
    [['add_text', { text: 'Subscribe!', start_ms: 26_000, duration_ms: 2000 }]],
  ],
  ['add bold English subtitles', [['add_captions', { language: 'en', style: 'bold' }]]],
  ['加中文字幕', [['add_captions', { language: 'zh' }]]],
  ['remove the captions', [['remove_track', { target: 'captions' }]]],
  ['mute the original audio', [['mute', { target: 'video', muted: true }]]],
  ['把原声静音', [['mute', { target: 'video', muted: true }]]],
  ['mute the music', [['mute', { target: 'music', muted: true }]], { draft: WITH_MUSIC }],
  ['set the volume to 80%', [['set_volume', { target: 'video', volume: 0.8 }]]],
  ['reduce background noise', [['denoise', { enabled: true }]]],
  ['make it vertical, fit the whole frame', [['set_aspect', { aspect: '9:16' }]]],
  ['16:9 letterboxed', [['set_aspect', { aspect: '16:9', fit: 'contain' }]]],
  ['改成4:5', [['set_aspect', { aspect: '4:5' }]]],
  ['横屏', [['set_aspect', { aspect: '16:9' }]]],
  ['undo', [['undo']]],
  ['撤销', [['undo']]],
  ['redo that', [['redo']]],
  ['remove the filler words like "basically"', [['remove_fillers', { extra_words: ['basically'] }]]],
  ['去掉口头禅和嗯啊', [['remove_fillers']]],
  ['reorder: 2, 1', [['reorder', { order: [2, 1] }]]],
  [
    '去掉前面5秒和最后2秒',
    [
      ['cut_range', { start_ms: 0, end_ms: 5000 }],
      ['cut_range', { start_ms: 21_000, end_ms: 23_000 }],
    ],
  ],
  ['把背景音乐换成lofi-beat.wav，音量百分之二十', [['add_music', { media_id: 'm5', volume: 0.2 }]]],
  ['降低背景噪音并标准化音量', [['denoise'], ['normalize_loudness']]],
  ['use clip1.mp4 and beach.mp4', [['append_clips', { media_ids: ['m1', 'm3'] }]]],
  ['put clip2.mov first', [['reorder', { order: [2] }]]],
  ['cut from 0:10 to 0:12.5', [['cut_range', { start_ms: 10_000, end_ms: 12_500 }]]],
  ['make the title bigger', [['set_title', { text: 'Tokyo', size: 130 }]], { draft: WITH_TITLE }],
  ['move the title to the bottom', [['set_title', { text: 'Tokyo', pos: 'bottom' }]], { draft: WITH_TITLE }],
  // Cuts in one request refer to the timeline as it is now; the later one shifts by what went before.
  [
    'delete the first 2 seconds and the last 3 seconds',
    [
      ['cut_range', { start_ms: 0, end_ms: 2000 }],
      ['cut_range', { start_ms: 23_000, end_ms: 26_000 }],
    ],
  ],
  // docs/chat.md's own phrasings: the unit of "the last 3" comes from the clause before.
  [
    'delete the first 2 seconds and the last 3',
    [
      ['cut_range', { start_ms: 0, end_ms: 2000 }],
      ['cut_range', { start_ms: 23_000, end_ms: 26_000 }],
    ],
  ],
  ['square, letterboxed', [['set_aspect', { aspect: '1:1', fit: 'contain' }]]],
  ['no music', [['remove_track', { target: 'music' }]], { draft: WITH_MUSIC }],
  ['no captions', [['remove_track', { target: 'captions' }]]],
  ['can you cut out the ums', [['remove_fillers']]],
  ['把静音的部分去掉', [['trim_pauses']]],
  ['第二个视频不要了', [['cut_range', { start_ms: 20_000, end_ms: 28_000 }]]],
  ['remove the first clip', [['cut_range', { start_ms: 0, end_ms: 20_000 }]]],
  ['speed up by 25%', [['set_speed', { factor: 1.25 }]]],
  [
    'add "Follow for more" text at the bottom in the last 3 seconds',
    [['add_text', { text: 'Follow for more', start_ms: 25_000, duration_ms: 3000, pos: 'bottom' }]],
  ],
  [
    'trim the pauses longer than 800ms and keep 200ms of padding',
    [['trim_pauses', { min_silence_ms: 800, margin_before_ms: 200, margin_after_ms: 200 }]],
  ],
  [
    'trim the pauses, add captions, add lo-fi music at 35%, make it 9:16',
    [['trim_pauses'], ['add_captions'], ['add_music', { volume: 0.35 }], ['set_aspect', { aspect: '9:16' }]],
  ],
  ['reverse the order of the clips', [['reorder', { order: [2, 1] }]]],
  ['remove the background music', [['remove_track', { target: 'music' }]], { draft: WITH_MUSIC }],
  ['fade the music out over 3 seconds', [['add_music', { media_id: 'm4', fade_out_ms: 3000 }]], { draft: WITH_MUSIC }],
];

describe('embedded planner', () => {
  it.each(ROWS)('%s', (text, expected, opts) => {
    const result = plan(text, opts);
    expect(result.clarify, `clarify: ${result.clarify}`).toBeUndefined();
    expect(result.calls.map((c) => c.name)).toEqual(expected.map(([n]) => n));
    expected.forEach(([, args], i) => {
      if (args) expect(result.calls[i]!.args).toMatchObject(args);
    });
  });

  it('has at least 40 phrasings', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(40);
  });

  it('a vague request for an edit gets the default polish, said plainly with undo', () => {
    const result = plan('make it better');
    expect(result.calls.map((c) => c.name)).toEqual([
      'trim_pauses',
      'remove_fillers',
      'add_captions',
      'normalize_loudness',
    ]);
    expect(result.notes?.[0]).toMatch(/default polish .* Say "undo" to revert it/);
  });

  it.each([
    ['随便改改', 'zh'],
    ['add a title', 'en'],
    ['cut the middle part', 'en'],
    ['add the ninth clip', 'en'],
    ['set speed to 10x', 'en'],
  ])('asks instead of guessing: %s', (text, language) => {
    const result = plan(text, { language });
    expect(result.calls).toEqual([]);
    expect(result.clarify).toBeTruthy();
    if (language === 'zh') expect(result.clarify).toMatch(/[\u4e00-\u9fff]/);
  });

  it('asks for an audio file when none is uploaded', () => {
    const result = planEmbedded({
      text: 'add background music',
      language: 'en',
      draft: DRAFT,
      media: MEDIA.slice(0, 3),
    });
    expect(result.clarify).toMatch(/Upload an audio file/);
  });

  it('the quoted title text does not trigger other rules', () => {
    expect(plan('add a title "Music and Captions"').calls.map((c) => c.name)).toEqual(['set_title']);
  });

  it('keeps export last', () => {
    expect(plan('export after you add captions').calls.map((c) => c.name)).toEqual(['add_captions', 'render']);
  });
});

describe('planner helpers', () => {
  it('normalises number words', () => {
    expect(normalizeText('first three seconds at thirty-five percent')).toBe('first 3 seconds at 35 percent');
    expect(normalizeText('百分之三十')).toBe('30%');
    expect(normalizeText('前三秒')).toBe('前3秒');
    expect(normalizeText('一下')).toBe('一下');
    expect(parseChineseNumber('二十五')).toBe(25);
    expect(parseChineseNumber('一点五')).toBe(1.5);
  });
  it('splits compound requests but not number ranges', () => {
    expect(splitClauses('trim the pauses, add captions, and export')).toEqual([
      'trim the pauses',
      'add captions',
      'export',
    ]);
    expect(splitClauses('cut between 3 and 5 seconds')).toEqual(['cut between 3 and 5 seconds']);
    expect(splitClauses('make it 16:9, add a title')).toEqual(['make it 16:9', 'add a title']);
    expect(splitClauses('reorder: 2, 1, 3')).toEqual(['reorder: 2, 1, 3']);
    expect(splitClauses('add a title "Rock, Paper and Scissors!" and export')).toEqual([
      'add a title "Rock, Paper and Scissors!"',
      'export',
    ]);
  });
  it('reads ranges', () => {
    expect(findRange('from 1:00 to 1:30', 200_000)).toEqual({ s: 60_000, e: 90_000 });
    expect(findRange('after 10s', 30_000)).toEqual({ s: 10_000, e: 30_000 });
    expect(findRange('10秒之后', 30_000)).toEqual({ s: 10_000, e: 30_000 });
  });
});
