import { exports } from 'cloudflare:workers';

export const BASE = 'http://127.0.0.1:8787';

export interface Envelope<T = Record<string, unknown>> {
  code: number;
  message: string;
  data: T;
}

export function call(path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  return exports.default.fetch(new Request(`${BASE}${path}`, { ...init, headers }));
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<Envelope<T>> {
  return (await res.json()) as Envelope<T>;
}

let counter = 0;
export async function mintToken(clientId = `test-client-${Date.now()}-${counter++}`) {
  const res = await call('/api/auth/anonymous-token', { method: 'POST', headers: { 'x-client-id': clientId } });
  const body = await json<{ token: string; user_id: string; credits: number; expires_at: number }>(res);
  if (body.code !== 0) throw new Error(`mint failed: ${JSON.stringify(body)}`);
  return { ...body.data, clientId };
}

export async function newSession(
  token: string,
  body: Record<string, unknown> = { task_name: 'project', language: 'en' },
) {
  const res = await call('/api/tasks/me/with-session/nemo_agent', {
    method: 'POST',
    token,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const env = await json<{ session_id: string; task_id: string }>(res);
  if (env.code !== 0) throw new Error(`session failed: ${JSON.stringify(env)}`);
  return env.data;
}

/** A user with a token and a session, the starting point of most tests. */
export async function userWithSession(language = 'en') {
  const user = await mintToken();
  const session = await newSession(user.token, { task_name: 'project', language });
  return { ...user, ...session };
}
