import { describe, expect, it } from 'vitest';
import { validateRender } from '../../engine/src/render/validate.ts';
import {
  emptyDraftProblem,
  misplacedMediaProblem,
  oddSizeProblem,
  renderDurationMs,
  renderProblem,
  unknownMedia,
  unknownMediaProblem,
} from '../../src/draft/checks.ts';
import { type Draft, DraftSchema } from '../../src/draft/schema.ts';
import type { RenderRequest } from '../../src/render/render-request.ts';

const KINDS: Record<string, string> = { med_clip: 'video', med_song: 'audio', med_pic: 'image' };
const kindOf = (id: string) => KINDS[id];

function draft(over: Record<string, unknown> = {}): Draft {
  return DraftSchema.parse({
    w: 1080,
    h: 1920,
    d: 0,
    t: [
      { id: 'v1', tt: 0, sg: [{ id: 's1', src: 'med_clip', s: 0, d: 4000, in: 0 }] },
      { id: 'a1', tt: 1, sg: [{ id: 'm1', src: 'med_song', s: 0, d: 4000, in: 0 }] },
      { id: 'x1', tt: 7, sg: [{ id: 't1', text: 'Hi', s: 0, d: 1000 }] },
    ],
    ...over,
  });
}

describe('draft checks shared by the Worker and the engine (src/draft/checks.ts)', () => {
  it('accepts a renderable draft, whose length is its last segment end when d is 0', () => {
    expect(renderProblem(draft(), kindOf)).toBeNull();
    expect(renderDurationMs(draft())).toBe(4000);
    expect(renderDurationMs(draft({ d: 6000 }))).toBe(6000);
  });

  it('refuses an empty draft: no track, or tracks without segments', () => {
    const message = 'draft.t: the draft is empty (no segment, duration 0): nothing to render';
    expect(emptyDraftProblem(draft({ t: [] }))).toBe(message);
    expect(emptyDraftProblem(draft({ d: 5000, t: [{ id: 'v1', tt: 0, sg: [] }] }))).toBe(message);
    expect(renderProblem(draft({ t: [] }), kindOf)).toBe(message);
  });

  it('names the odd side', () => {
    expect(oddSizeProblem(draft({ w: 641, h: 360 }))).toBe('draft.w: must be even');
    expect(oddSizeProblem(draft({ w: 640, h: 361 }))).toBe('draft.h: must be even');
    expect(oddSizeProblem(draft())).toBeNull();
  });

  it('lists unknown media once each, text tracks aside', () => {
    const d = draft({
      t: [
        {
          id: 'v1',
          tt: 0,
          sg: [
            { id: 's1', src: 'med_nope', s: 0, d: 1000, in: 0 },
            { id: 's2', src: 'med_clip', s: 1000, d: 1000, in: 0 },
            { id: 's3', src: 'med_nope', s: 2000, d: 1000, in: 0 },
          ],
        },
        { id: 'a1', tt: 1, sg: [{ id: 'm1', src: 'med_gone', s: 0, d: 3000, in: 0 }] },
      ],
    });
    expect(unknownMedia(d, kindOf)).toEqual(['med_nope', 'med_gone']);
    expect(unknownMediaProblem(['med_nope', 'med_gone'])).toBe('draft.t: unknown media med_nope, med_gone');
    expect(unknownMediaProblem([])).toBeNull();
    expect(renderProblem(d, kindOf)).toBe('draft.t: unknown media med_nope, med_gone');
  });

  it('names the segment holding audio on a video track or an image on an audio track', () => {
    const audioOnVideo = draft({ t: [{ id: 'v1', tt: 0, sg: [{ id: 's1', src: 'med_song', s: 0, d: 1000, in: 0 }] }] });
    expect(misplacedMediaProblem(audioOnVideo, kindOf)).toBe('draft.t.0.sg.0.src: med_song is audio on a video track');
    const imageOnAudio = draft({
      t: [
        { id: 'v1', tt: 0, sg: [{ id: 's1', src: 'med_pic', s: 0, d: 1000, in: 0 }] },
        { id: 'a1', tt: 1, sg: [{ id: 'm1', src: 'med_pic', s: 0, d: 1000, in: 0 }] },
      ],
    });
    expect(misplacedMediaProblem(imageOnAudio, kindOf)).toBe(
      'draft.t.1.sg.0.src: med_pic is an image on an audio track',
    );
  });

  it('the engine refuses with the same words, its inputs standing for the session media', () => {
    const request = (d: Draft, ids: string[]): RenderRequest => ({
      draft: d,
      inputs: Object.fromEntries(
        ids.map((id) => [id, { url: `http://127.0.0.1/api/blob/${id}`, kind: KINDS[id] as 'video' }]),
      ),
      output: { url: 'http://127.0.0.1/api/blob/out.mp4' },
    });
    expect(validateRender(request(draft(), ['med_clip', 'med_song']))).toBeNull();
    expect(validateRender(request(draft({ w: 641 }), ['med_clip', 'med_song']))).toBe('draft.w: must be even');
    expect(validateRender(request(draft(), ['med_clip']))).toBe('draft.t: unknown media med_song');
    expect(validateRender(request(draft({ t: [] }), []))).toBe(renderProblem(draft({ t: [] }), kindOf));
  });
});
