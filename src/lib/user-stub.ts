import type { UserDO } from '../durable/user-do.ts';

/** A user id names its Durable Object directly: no global table maps users to objects. */
export const USER_ID_PATTERN = /^u_[0-9a-f]{24}$/;

export function userStub(env: Env, userId: string): DurableObjectStub<UserDO> {
  return env.USER_DO.get(env.USER_DO.idFromName(userId)) as DurableObjectStub<UserDO>;
}
