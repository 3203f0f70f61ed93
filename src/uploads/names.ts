/**
 * Bidi embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069): "clip\u202Egpj.exe"
 * displays as "clipexe.jpg". Names are shown to people, so these go.
 */
export const stripBidiControls = (s: string) => s.replace(/[\u202A-\u202E\u2066-\u2069]/g, '');

/** A display name: what the client called the file, minus path, control and bidi characters. */
export function displayName(raw: string | undefined | null, fallback = 'upload'): string {
  const base = stripBidiControls((raw ?? '').split(/[\\/]/).pop() ?? '');
  const printable = [...base].filter((ch) => ch.charCodeAt(0) >= 0x20 && ch !== '\x7f').join('');
  const clean = printable.trim().slice(0, 255);
  return clean || fallback;
}

/**
 * A multipart part's file name as the sender meant it: HTML's multipart/form-data encoding (browsers,
 * curl, workerd's FormData) escapes only `"`, LF and CR, as %22, %0A, %0D. Nothing else is decoded,
 * so a name that really contains "%25" keeps it.
 */
export function formFileName(raw: string): string {
  return raw.replace(/%(22|0A|0D)/gi, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** A name safe in an R2 key and a URL path segment: ASCII letters, digits, dot, dash, underscore. */
export function safeName(name: string): string {
  const safe = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(-100);
  return safe || 'file';
}

export const mediaKey = (userId: string, mediaId: string, name: string) =>
  `u/${userId}/media/${mediaId}/${safeName(name)}`;

/** The file name a URL download should carry: Content-Disposition first, then the URL path. */
export function nameFromDownload(url: URL, contentDisposition: string | null): string {
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(contentDisposition ?? '');
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(contentDisposition ?? '');
  const fromHeader = star?.[1] ?? plain?.[1];
  const fromPath = url.pathname.split('/').filter(Boolean).pop();
  return displayName(safeDecode(fromHeader ?? fromPath ?? ''), 'download');
}

export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
