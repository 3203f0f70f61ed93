/**
 * The API as the editor uses it: envelopes unwrapped, the token kept in localStorage and minted
 * again (same X-Client-Id, so the same user and projects come back) when the service says 1001.
 */
import type { TrackTypeCode } from '../../src/draft/track-type.ts';
import type { GeneratedMedia } from '../../src/render/status-schema.ts';

const TOKEN_KEY = 'openedit.token';
const CLIENT_KEY = 'openedit.clientId';

export class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data: Record<string, unknown> | null,
  ) {
    super(message);
  }
}

interface Envelope<T> {
  code: number;
  message: string;
  data: T;
}

export function clientId(): string {
  let id = localStorage.getItem(CLIENT_KEY);
  if (!id) {
    id = `web-${crypto.randomUUID()}`;
    localStorage.setItem(CLIENT_KEY, id);
  }
  return id;
}

let minting: Promise<string> | null = null;

/** A fresh token for this browser's client id (one request even when several calls need it at once). */
export function mintToken(): Promise<string> {
  minting ??= (async () => {
    try {
      const res = await fetch('/api/auth/anonymous-token', { method: 'POST', headers: { 'x-client-id': clientId() } });
      const body = (await res.json()) as Envelope<{ token: string }>;
      if (body.code !== 0) throw new ApiError(body.code, body.message, null);
      localStorage.setItem(TOKEN_KEY, body.data.token);
      return body.data.token;
    } finally {
      minting = null;
    }
  })();
  return minting;
}

export async function token(): Promise<string> {
  return localStorage.getItem(TOKEN_KEY) ?? mintToken();
}

/** fetch with the bearer token; one retry with a fresh token when the old one is refused (1001). */
export async function authFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const go = async (tok: string) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${tok}`);
    return fetch(path, { ...init, headers });
  };
  const res = await go(await token());
  if (res.status !== 401) return res;
  return go(await mintToken());
}

/** A JSON API call: the envelope's data, or an ApiError with the service's code and message. */
export async function api<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) headers.set('content-type', 'application/json');
  const res = await authFetch(path, {
    ...rest,
    headers,
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
  });
  const body = (await res.json().catch(() => null)) as Envelope<T> | null;
  if (!body) throw new ApiError(res.status, `HTTP ${res.status}`, null);
  if (body.code !== 0) throw new ApiError(body.code, body.message, body.data as Record<string, unknown> | null);
  return body.data;
}

export interface SessionInfo {
  session_id: string;
  task_name: string;
  language: string;
  updated_at: number;
  draft_version: number;
}

export interface Segment {
  id: string;
  s: number;
  d: number;
  src?: string;
  text?: string;
}
export interface Track {
  id: string;
  tt: TrackTypeCode;
  m: { name?: string; kind?: string };
  sg: Segment[];
}
export interface Draft {
  w: number;
  h: number;
  fps: number;
  d: number;
  t: Track[];
  m?: { title?: string };
}
export interface MediaInfo {
  media_id: string;
  name: string;
  kind: string;
  duration_ms: number | null;
  width: number | null;
  height: number | null;
}
/** A finished render as the state lists it: the service's own schema (a type-only import, nothing bundled). */
export type ExportInfo = GeneratedMedia;
export interface SessionState {
  draft: Draft;
  draft_version: number;
  video_infos: MediaInfo[];
  /** The session's finished exports, oldest first. */
  generated_media: ExportInfo[];
}
