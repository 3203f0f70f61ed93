/**
 * The public HTTP API, and nothing else: envelope decoding, bearer auth with a cached token,
 * and one automatic re-acquisition when the service answers 1001.
 */
import { type ConfigStore, type Env, envToken } from './config.ts';
import { ApiError, NetworkError } from './errors.ts';

export const CLI_VERSION = '0.1.0';

export interface TokenInfo {
  token: string;
  user_id: string;
  credits?: number;
  expires_at: number;
}

export interface ApiOptions {
  baseUrl: string;
  store: ConfigStore;
  env?: Env;
  /** Warnings for the user (stderr). */
  warn?: (line: string) => void;
}

/** Decode an envelope response; throws ApiError for code != 0 or a body that is not an envelope. */
export async function decodeEnvelope<T>(res: Response): Promise<T> {
  const text = await res.text();
  let body: { code?: unknown; message?: unknown; data?: unknown } | null = null;
  try {
    body = JSON.parse(text);
  } catch {}
  const retryAfter = res.headers.get('retry-after');
  const requestId = res.headers.get('x-request-id');
  if (!body || typeof body.code !== 'number') {
    const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 120);
    throw new ApiError(
      res.status,
      `HTTP ${res.status} ${res.statusText}${snippet ? `: ${snippet}` : ''}`,
      res.status,
      null,
      requestId,
    );
  }
  if (body.code !== 0) {
    throw new ApiError(
      body.code,
      typeof body.message === 'string' ? body.message : `error ${body.code}`,
      res.status,
      (body.data as Record<string, unknown> | null) ?? null,
      requestId,
      retryAfter !== null && Number.isFinite(Number(retryAfter)) ? Number(retryAfter) : null,
    );
  }
  return body.data as T;
}

export class Api {
  readonly baseUrl: string;
  private readonly store: ConfigStore;
  private readonly env: Env;
  private readonly warn: (line: string) => void;
  private current: string | null = null;
  private envTokenRejected = false;

  constructor(opts: ApiOptions) {
    this.baseUrl = opts.baseUrl;
    this.store = opts.store;
    this.env = opts.env ?? process.env;
    this.warn = opts.warn ?? ((line) => process.stderr.write(`${line}\n`));
  }

  url(path: string): string {
    return new URL(path, `${this.baseUrl}/`).toString();
  }

  /** Headers every call carries: the client id and attribution (recorded with sessions). */
  commonHeaders(): Record<string, string> {
    return {
      'x-client-id': this.store.clientId(this.env),
      'x-skill-source': 'openedit-cli',
      'x-skill-version': CLI_VERSION,
      'x-skill-platform': process.platform,
    };
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const url = this.url(path);
    try {
      return await fetch(url, {
        ...init,
        headers: { ...this.commonHeaders(), ...(init.headers as Record<string, string>) },
      });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new NetworkError(this.baseUrl, err);
    }
  }

  async mintToken(): Promise<TokenInfo> {
    const res = await this.fetch('/api/auth/anonymous-token', { method: 'POST' });
    const data = await decodeEnvelope<TokenInfo>(res);
    this.store.saveToken(this.baseUrl, { token: data.token, user_id: data.user_id, expires_at: data.expires_at });
    return data;
  }

  /** The token to use: the environment's, else a cached unexpired one, else a freshly minted one. */
  async token(): Promise<string> {
    this.current ??= await this.pickToken();
    return this.current;
  }

  private async pickToken(): Promise<string> {
    const fromEnv = envToken(this.env);
    if (fromEnv && !this.envTokenRejected) return fromEnv.token;
    const cached = this.store.getToken(this.baseUrl);
    // A minute of margin so a token does not expire between two calls of one command.
    if (cached?.token && cached.expires_at > Date.now() + 60_000) return cached.token;
    return (await this.mintToken()).token;
  }

  /** Runs `call` with a token; on 1001 drops the token, gets a new one and retries once. */
  async withAuth<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.token();
    try {
      return await call(token);
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 1001) throw err;
      const fromEnv = envToken(this.env);
      if (fromEnv && token === fromEnv.token) {
        // An explicit OPENEDIT_TOKEN is the user's choice: report it. NEMO_TOKEN may belong to another service.
        if (fromEnv.source === 'OPENEDIT_TOKEN') throw err;
        this.warn(`openedit: NEMO_TOKEN was rejected by ${this.baseUrl}; using an anonymous token instead`);
        this.envTokenRejected = true;
      } else {
        this.store.dropToken(this.baseUrl);
      }
      this.current = null;
      return call(await this.token());
    }
  }

  /** A JSON API call returning the envelope's data. */
  request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.withAuth(async (token) => {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await this.fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return decodeEnvelope<T>(res);
    });
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }
}
