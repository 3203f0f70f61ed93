/**
 * Hono's typing for this Worker: bindings from `wrangler types`, per-request variables set by
 * middleware. The signed-in user's Durable Object client, `c.var.user`, is declared in
 * src/durable/user-stub.ts (Hono's ContextVariableMap), so this bottom layer does not know the UserDO.
 */
export type AppEnv = {
  Bindings: Env;
  Variables: {
    requestId: string;
    userId: string;
  };
};
