/** `openedit credits`: the balance. */
import { type Ctx, printJson } from '../context.ts';

export interface Balance {
  available: number;
  frozen: number;
  total: number;
}

export async function creditsCommand(ctx: Ctx): Promise<void> {
  const b = await ctx.api.get<Balance>('/api/credits/balance/simple');
  if (ctx.opts.json) printJson(ctx, b);
  else ctx.out(`Credits: ${b.available} available, ${b.frozen} frozen (in running renders), ${b.total} total\n`);
}
