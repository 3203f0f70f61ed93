import type { UserClient } from './user-stub.ts';

/** Hono's typing for this Worker: bindings from `wrangler types`, per-request variables set by middleware. */
export type AppEnv = {
  Bindings: Env;
  Variables: {
    requestId: string;
    userId: string;
    user: UserClient;
  };
};
