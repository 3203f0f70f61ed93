/**
 * Where the CLI keeps its state: a stable client id (sent as X-Client-Id, so the same machine
 * gets the same anonymous user back) and one cached token per service URL.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8787';

export type Env = Record<string, string | undefined>;

export function configDir(env: Env = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'openedit');
}

export function resolveBaseUrl(flag: string | undefined, env: Env = process.env): string {
  const raw = flag || env.OPENEDIT_BASE_URL || DEFAULT_BASE_URL;
  return raw.replace(/\/+$/, '');
}

/** A token given in the environment; NEMO_TOKEN is the variable the seed's skill clients use. */
export function envToken(env: Env = process.env): { token: string; source: 'OPENEDIT_TOKEN' | 'NEMO_TOKEN' } | null {
  if (env.OPENEDIT_TOKEN) return { token: env.OPENEDIT_TOKEN, source: 'OPENEDIT_TOKEN' };
  if (env.NEMO_TOKEN) return { token: env.NEMO_TOKEN, source: 'NEMO_TOKEN' };
  return null;
}

export interface CachedToken {
  token: string;
  user_id: string;
  expires_at: number;
  last_session_id?: string;
}

interface TokenFile {
  tokens: Record<string, CachedToken>;
}

function readJson<T>(path: string, fallback: T): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return fallback;
  }
}

/** Written atomically with owner-only permissions: the file holds bearer tokens. */
function writePrivate(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, path);
}

export class ConfigStore {
  constructor(readonly dir: string = configDir()) {}

  private get tokenPath() {
    return join(this.dir, 'token.json');
  }

  /** OPENEDIT_CLIENT_ID / NEMO_CLIENT_ID, else a UUID made once and kept in client_id. */
  clientId(env: Env = process.env): string {
    const fromEnv = env.OPENEDIT_CLIENT_ID || env.NEMO_CLIENT_ID;
    if (fromEnv) return fromEnv;
    const path = join(this.dir, 'client_id');
    try {
      const id = readFileSync(path, 'utf8').trim();
      if (id.length >= 8) return id;
    } catch {}
    const id = randomUUID();
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writePrivate(path, `${id}\n`);
    return id;
  }

  getToken(baseUrl: string): CachedToken | null {
    return readJson<TokenFile>(this.tokenPath, { tokens: {} }).tokens?.[baseUrl] ?? null;
  }

  private update(baseUrl: string, fn: (entry: CachedToken | null) => CachedToken | null): void {
    const file = readJson<TokenFile>(this.tokenPath, { tokens: {} });
    file.tokens ??= {};
    const next = fn(file.tokens[baseUrl] ?? null);
    if (next) file.tokens[baseUrl] = next;
    else delete file.tokens[baseUrl];
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    writePrivate(this.tokenPath, `${JSON.stringify(file, null, 2)}\n`);
  }

  saveToken(baseUrl: string, token: CachedToken): void {
    this.update(baseUrl, (old) => ({ ...token, last_session_id: old?.last_session_id }));
  }

  dropToken(baseUrl: string): void {
    this.update(baseUrl, (old) => (old?.last_session_id ? { ...old, token: '', expires_at: 0 } : null));
  }

  lastSession(baseUrl: string): string | undefined {
    return this.getToken(baseUrl)?.last_session_id;
  }

  forgetSession(baseUrl: string, sessionId: string): void {
    if (this.lastSession(baseUrl) !== sessionId) return;
    this.update(baseUrl, (old) => (old ? { ...old, last_session_id: undefined } : null));
  }

  rememberSession(baseUrl: string, sessionId: string): void {
    this.update(baseUrl, (old) => ({ token: '', user_id: '', expires_at: 0, ...old, last_session_id: sessionId }));
  }
}
