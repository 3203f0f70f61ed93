import { describe, expect, it } from 'vitest';
import { TextSegmentSchema } from '../../src/draft/schema.ts';
import { buildAss, captionLayout } from '../src/render/captions/ass.ts';
import { captionEvents, eventText } from '../src/render/captions/caption-events.ts';
import { toSrt, toVtt } from '../src/render/captions/subtitle-files.ts';

const seg = (text: string, s: number, d: number, m: object = {}) => TextSegmentSchema.parse({ id: 'c', text, s, d, m });

describe('caption events', () => {
  it('keeps lines within 42 characters and events within two lines, covering the segment', () => {
    const text =
      'The quick brown fox jumps over the lazy dog while the cat watches from the windowsill and the bird sings a long song about summer evenings';
    const events = captionEvents(seg(text, 1000, 9000));
    expect(events.length).toBeGreaterThan(1);
    for (const ev of events) {
      expect(ev.lines.length).toBeLessThanOrEqual(2);
      for (const line of eventText(ev).split('\n')) expect(line.length).toBeLessThanOrEqual(42);
    }
    expect(events.map((e) => eventText(e, ' ')).join(' ')).toBe(text);
    expect(events[0].s).toBe(1000);
    expect(events.at(-1)!.e).toBe(10000);
    for (let i = 1; i < events.length; i++) expect(events[i].s).toBe(events[i - 1].e);
  });

  it('times events by their words and breaks CJK text between characters', () => {
    const words = [
      { w: 'one', s: 0, e: 400 },
      { w: 'two', s: 500, e: 900 },
      { w: 'three', s: 1500, e: 1900 },
    ];
    const events = captionEvents(seg('one two three', 0, 2000, { words }), 4);
    expect(events.map((e) => [e.s, e.e, eventText(e, '|')])).toEqual([
      [0, 1500, 'one|two'],
      [1500, 2000, 'three'],
    ]);
    // Edited text no longer matches its words: the text wins, timed by character share.
    const edited = captionEvents(seg('one 2 three', 0, 2000, { words }), 4);
    expect(edited.map((e) => eventText(e, '|'))).toEqual(['one|2', 'three']);
    expect(edited[0].s).toBe(0);
    const zh = captionEvents(seg('今天我们来聊一聊如何剪辑视频然后发布到网上让更多人看到', 0, 3000), 10);
    for (const ev of zh) for (const line of eventText(ev).split('\n')) expect(line.length).toBeLessThanOrEqual(10);
    expect(zh.map((e) => eventText(e, '')).join('')).toBe('今天我们来聊一聊如何剪辑视频然后发布到网上让更多人看到');
  });

  it('sizes captions for the frame: 42 characters at 16:9, fewer on a 9:16 phone screen', () => {
    expect(captionLayout(1920, 1080).maxChars).toBe(42);
    const vertical = captionLayout(1080, 1920);
    expect(vertical.maxChars).toBeLessThan(42);
    expect(vertical.fontSize).toBeGreaterThanOrEqual(50);
  });

  it('writes ASS with one event per spoken word and the CJK font when needed', () => {
    const s = seg('hi there', 0, 1000, {
      pos: 'bottom',
      words: [
        { w: 'hi', s: 0, e: 400 },
        { w: 'there', s: 400, e: 1000 },
      ],
    });
    const ass = buildAss([{ seg: s, events: captionEvents(s) }], { w: 1920, h: 1080, fontSize: 59 });
    expect(ass).toContain('Style: Caption,DejaVu Sans,59,');
    expect(ass).toContain('Dialogue: 0,0:00:00.00,0:00:00.40,Caption,,0,0,0,,{\\c&H00FFFF&}hi{\\c&HFFFFFF&} there');
    expect(ass).toContain('Dialogue: 0,0:00:00.40,0:00:01.00,Caption,,0,0,0,,hi {\\c&H00FFFF&}there{\\c&HFFFFFF&}');
    // A coloured caption keeps its colour after the highlighted word; a track may turn highlighting off.
    const red = seg('hi there', 0, 1000, {
      color: '#ff0000',
      pos: 'top',
      words: [
        { w: 'hi', s: 0, e: 400 },
        { w: 'there', s: 400, e: 1000 },
      ],
    });
    const redAss = buildAss([{ seg: red, events: captionEvents(red) }], { w: 1920, h: 1080, fontSize: 59 }, '#ffd400');
    expect(redAss).toContain(',,{\\an8\\c&H0000FF&}{\\c&H00D4FF&}hi{\\c&H0000FF&} there');
    const plain = buildAss([{ seg: red, events: captionEvents(red) }], { w: 1920, h: 1080, fontSize: 59 }, null);
    expect(plain.match(/^Dialogue:/gm)).toHaveLength(1);
    const zh = seg('你好 {世界}', 0, 1000);
    expect(buildAss([{ seg: zh, events: captionEvents(zh) }], { w: 1080, h: 1920, fontSize: 59 })).toMatch(
      /Noto Sans CJK SC[\s\S]*\\\{世界\\\}/,
    );
  });

  it('writes SRT and VTT timestamps', () => {
    const events = captionEvents(seg('hello', 3_723_004, 1500));
    expect(toSrt(events)).toBe('1\n01:02:03,004 --> 01:02:04,504\nhello\n');
    expect(toVtt(events)).toBe('WEBVTT\n\n01:02:03.004 --> 01:02:04.504\nhello\n');
  });
});
