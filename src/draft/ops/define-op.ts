import type { z } from 'zod';
import type { Draft } from '../schema.ts';
import type { EditOp, OpContext } from './types.ts';
import { clone, finish } from './util.ts';

/**
 * What an op declares. `edit` gets its own deep copy of the draft, to change in place (or to
 * build another draft from, which it returns): an op never mutates its caller's draft.
 */
export interface OpSpec<S extends z.ZodType> extends Omit<EditOp<S>, 'apply'> {
  edit(draft: Draft, args: z.output<S>, ctx: OpContext): Draft | undefined;
}

/**
 * Makes an op from its spec, doing what every op did by hand: copy the input first, finish the
 * result last (times rounded, empty segments dropped, `d` recomputed, checked by the schema).
 */
export function defineOp<S extends z.ZodType>(spec: OpSpec<S>): EditOp<S> {
  const { edit, ...meta } = spec;
  return {
    ...meta,
    apply(input, args, ctx) {
      const draft = clone(input);
      return finish(edit(draft, args, ctx) ?? draft);
    },
  };
}
