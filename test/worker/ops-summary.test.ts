import { describe, expect, it } from 'vitest';
import { DraftSchema } from '../../src/draft/schema.ts';
import { secondsText, summarizeTracks } from '../../src/draft/summary.ts';

const apiExample = DraftSchema.parse({
  v: 1,
  w: 1080,
  h: 1920,
  fps: 30,
  d: 10000,
  t: [
    {
      id: 'v1',
      tt: 0,
      m: { name: 'city timelapse' },
      sg: [{ id: 's1', src: 'med_ab12', s: 0, d: 10000, in: 0, m: { fit: 'cover', speed: 1 } }],
    },
    {
      id: 'a1',
      tt: 1,
      m: { name: 'BGM: Lo-fi', volume: 0.35 },
      sg: [{ id: 's2', src: 'med_cd34', s: 0, d: 10000, in: 0, m: { fade_out: 1000 } }],
    },
    {
      id: 'x1',
      tt: 7,
      m: { name: 'Title' },
      sg: [{ id: 's3', text: 'Urban Dreams', s: 0, d: 3000, m: { pos: 'center' } }],
    },
  ],
});

describe('summarizeTracks', () => {
  it('matches the docs/api.md example exactly', () => {
    expect(summarizeTracks(apiExample, 'en')).toBe(
      'Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) 3. Title: "Urban Dreams" (0-3s)',
    );
  });
  it('has a Chinese variant', () => {
    expect(summarizeTracks(apiExample, 'zh-CN')).toBe(
      '时间线（3 条轨道）：1. 视频：city timelapse（0-10秒） 2. 背景音乐：Lo-fi（0-10秒，35%） 3. 标题：“Urban Dreams”（0-3秒）',
    );
  });
  it('covers captions, several clips, muted tracks and the empty draft', () => {
    const draft = DraftSchema.parse({
      w: 1080,
      h: 1920,
      d: 9800,
      t: [
        {
          id: 'v1',
          tt: 0,
          m: { name: 'talk', muted: true },
          sg: [
            { id: 's1', src: 'a', s: 0, d: 5000 },
            { id: 's2', src: 'b', s: 5000, d: 4800 },
          ],
        },
        {
          id: 'c1',
          tt: 7,
          m: { name: 'Captions', kind: 'caption' },
          sg: [
            { id: 'c2', text: 'Hello', s: 100, d: 900 },
            { id: 'c3', text: 'World', s: 1000, d: 900 },
          ],
        },
      ],
    });
    expect(summarizeTracks(draft)).toBe(
      'Timeline (2 tracks): 1. Video: talk (0-9.8s, 2 clips, muted) 2. Captions (0.1-1.9s, 2 lines)',
    );
    expect(summarizeTracks({ t: [] })).toBe('Timeline is empty.');
    expect(summarizeTracks({ t: [] }, 'zh')).toBe('时间线为空。');
    expect(secondsText(1234)).toBe('1.2');
  });
});
