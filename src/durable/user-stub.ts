import { isRpcResult, unwrap } from '../lib/errors.ts';
import type { UserDO } from './user-do.ts';

type Unwrapped<R> = R extends { rpc: 1; ok: true; value: infer V } ? V : R extends { rpc: 1; ok: false } ? never : R;
type RpcMethods<T> = {
  [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]: T[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Unwrapped<Awaited<R>>>
    : never;
};

/** The UserDO as callers see it: plain values back, refusals thrown as AppError on this side. */
export type UserClient = Omit<
  RpcMethods<UserDO>,
  'fetch' | 'alarm' | 'webSocketMessage' | 'webSocketClose' | 'webSocketError'
>;

// `c.var.user` (set by routes/require-auth.ts) is declared here rather than in lib/app-env.ts so
// that the bottom layer need not know the UserDO.
declare module 'hono' {
  interface ContextVariableMap {
    user: UserClient;
  }
}

/** A user id names its Durable Object directly (see USER_ID_PATTERN): no global table maps users to objects. */
export function rawUserStub(env: Env, userId: string): DurableObjectStub<UserDO> {
  return env.USER_DO.get(env.USER_DO.idFromName(userId)) as DurableObjectStub<UserDO>;
}

export function userStub(env: Env, userId: string): UserClient {
  const stub = rawUserStub(env, userId) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  return new Proxy({} as UserClient, {
    get: (_target, name) => {
      if (typeof name !== 'string' || name === 'then') return undefined;
      return async (...args: unknown[]) => {
        const result = await stub[name]!(...args);
        return isRpcResult(result) ? unwrap(result) : result;
      };
    },
  });
}
