/**
 * Uploads with tus 1.0.0 (the service's /tus routes), so any size goes through in parts under
 * the platform's body limit, with progress, and resumes after a reload or a broken connection:
 * the upload URL is kept in localStorage per session and file (name, size, mtime); choosing the
 * same file again asks the server for its offset (HEAD) and sends only the rest.
 */
import { authFetch, mintToken, token } from './api.ts';

/** Under every plan's request body limit (100 MB on Free), big enough to keep requests few. */
const CHUNK_BYTES = 8 * 1024 * 1024;
const TUS = { 'tus-resumable': '1.0.0' };

const b64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));
const resumeKey = (sid: string, f: File) => `openedit.tus:${sid}:${f.name}:${f.size}:${f.lastModified}`;

/** The stored upload URL's offset, or null when it is unknown, finished elsewhere or gone. */
async function storedOffset(url: string): Promise<number | null> {
  const res = await authFetch(url, { method: 'HEAD', headers: TUS });
  if (!res.ok) return null;
  return Number(res.headers.get('upload-offset'));
}

async function create(sid: string, file: File): Promise<string> {
  const res = await authFetch(`/api/upload-video/nemo_agent/me/${encodeURIComponent(sid)}/tus`, {
    method: 'POST',
    headers: {
      ...TUS,
      'upload-length': String(file.size),
      'upload-metadata': `filename ${b64(file.name)},filetype ${b64(file.type || 'application/octet-stream')}`,
    },
  });
  if (res.status !== 201) throw new Error(await reason(res));
  return res.headers.get('location')!;
}

async function reason(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    return (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    return text || `HTTP ${res.status}`;
  }
}

/** One PATCH with upload progress (fetch cannot report it; XHR can). */
function patch(url: string, tok: string, offset: number, body: Blob, onSent: (n: number) => void) {
  return new Promise<{ status: number; offset: number; mediaId: string | null; text: string }>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PATCH', url);
    xhr.setRequestHeader('authorization', `Bearer ${tok}`);
    xhr.setRequestHeader('tus-resumable', '1.0.0');
    xhr.setRequestHeader('upload-offset', String(offset));
    xhr.setRequestHeader('content-type', 'application/offset+octet-stream');
    xhr.upload.onprogress = (e) => onSent(e.loaded);
    xhr.onload = () =>
      resolve({
        status: xhr.status,
        offset: Number(xhr.getResponseHeader('upload-offset') ?? offset),
        mediaId: xhr.getResponseHeader('upload-media-id'),
        text: xhr.responseText,
      });
    xhr.onerror = () => reject(new Error('network error'));
    xhr.send(body);
  });
}

/** Uploads (or resumes) `file` into the session; resolves with the new media id. */
export async function tusUpload(sid: string, file: File, onProgress: (fraction: number) => void): Promise<string> {
  const key = resumeKey(sid, file);
  const saved = localStorage.getItem(key);
  const savedOffset = saved ? await storedOffset(saved) : null;
  let url: string;
  let offset: number;
  if (saved !== null && savedOffset !== null) {
    url = saved;
    offset = savedOffset;
  } else {
    url = await create(sid, file);
    offset = 0;
    localStorage.setItem(key, url);
  }
  let tok = await token();
  let retries = 0;
  for (;;) {
    const end = Math.min(file.size, offset + CHUNK_BYTES);
    const start = offset;
    const r = await patch(url, tok, offset, file.slice(offset, end), (n) =>
      onProgress(file.size ? (start + n) / file.size : 1),
    ).catch(() => null);
    if (r?.status === 204) {
      offset = r.offset;
      retries = 0;
      if (r.mediaId) {
        localStorage.removeItem(key);
        onProgress(1);
        return r.mediaId;
      }
      continue;
    }
    if (r?.status === 401) {
      tok = await mintToken();
      continue;
    }
    // 409: another request moved the offset, or a dropped one still holds it: ask where we are, then go on.
    if ((r === null || r.status === 409 || r.status >= 500) && retries < 5) {
      retries++;
      await new Promise((res) => setTimeout(res, 1000 * 2 ** retries));
      const at = await storedOffset(url).catch(() => null);
      if (at !== null) offset = at;
      continue;
    }
    if (r && (r.status === 404 || r.status === 410 || r.status === 415)) localStorage.removeItem(key);
    let message = r ? `HTTP ${r.status}` : 'network error';
    try {
      if (r) message = (JSON.parse(r.text) as { message?: string }).message ?? message;
    } catch {}
    throw new Error(message);
  }
}
