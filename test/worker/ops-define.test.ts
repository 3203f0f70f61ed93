import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineOp } from '../../src/draft/ops/define-op.ts';
import { EDIT_OPS } from '../../src/draft/ops/index.ts';
import { TrackType } from '../../src/draft/schema.ts';
import { baseDraft, ctx } from './ops-fixtures.ts';

describe('defineOp (src/draft/ops/define-op.ts)', () => {
  it('gives edit its own copy and finishes the result: times rounded, empty segments dropped, d recomputed', () => {
    const stretch = defineOp({
      name: 'stretch',
      description: 'test op',
      args: z.object({ to_ms: z.number() }),
      edit(draft, args) {
        const main = draft.t.find((t) => t.tt === TrackType.video)!;
        main.sg[0]!.d = args.to_ms;
        main.sg.push({ id: 's_empty', src: 'med_a', s: 0, d: 0.2, in: 0, m: { fit: 'cover', speed: 1 } });
      },
    });
    const input = baseDraft();
    const before = structuredClone(input);
    const out = stretch.apply(input, { to_ms: 12_000.4 }, ctx());
    expect(input).toEqual(before);
    const main = out.t.find((t) => t.tt === TrackType.video)!;
    expect(main.sg.map((s) => [s.id, s.d])).toEqual([['s1', 12_000]]);
    expect(out.d).toBe(12_000);
  });

  it('takes the draft edit returns when it builds another one', () => {
    const empty = defineOp({
      name: 'empty',
      description: 'test op',
      args: z.object({}),
      edit: (draft) => ({ ...draft, t: [] }),
    });
    expect(empty.apply(baseDraft(), {}, ctx())).toMatchObject({ t: [], d: 0 });
  });

  it('no registered op mutates the draft it is given', () => {
    const calls: [string, unknown][] = [
      ['set_aspect', { aspect: '1:1' }],
      ['fade', { direction: 'both', duration_ms: 500 }],
      ['cut_range', { start_ms: 1000, end_ms: 2000 }],
      ['trim_pauses', {}],
      ['add_captions', {}],
      ['set_volume', { target: 'video', volume: 0.5 }],
      ['remove_track', { target: 'title' }],
    ];
    for (const [name, args] of calls) {
      const op = EDIT_OPS[name]!;
      const input = baseDraft();
      const before = structuredClone(input);
      const out = op.apply(input, op.args.parse(args), ctx());
      expect(input, name).toEqual(before);
      expect(out, name).not.toEqual(before);
    }
  });
});
