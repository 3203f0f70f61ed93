/**
 * The share page (`GET /s/:share_id`): a self-contained HTML page with a player, the title,
 * Open Graph and Twitter card tags (so links unfurl with a playable video), and a download
 * button. No scripts, no external assets.
 */
export interface SharePageData {
  title: string;
  pageUrl: string;
  videoUrl: string;
  downloadUrl: string;
  width: number;
  height: number;
  durationMs: number | null;
  expiresAt: number;
  captionsVttUrl: string | null;
}

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

const STYLE = `body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;background:#0f1115;color:#e8eaed;
display:flex;min-height:100vh;align-items:center;justify-content:center}main{width:min(92vw,960px);padding:24px;text-align:center}
video{max-width:100%;max-height:78vh;background:#000;border-radius:12px}h1{font-size:1.4rem;margin:16px 0 8px}
p{color:#9aa0a6;margin:4px 0 16px}a.button{display:inline-block;padding:10px 20px;border-radius:999px;background:#3b82f6;color:#fff;
text-decoration:none;font-weight:600}`;

function shell(title: string, head: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
${head}
<style>${STYLE}</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

export function sharePage(d: SharePageData): string {
  const t = escapeHtml(d.title);
  const e = (s: string) => escapeHtml(s);
  const desc = `A video made with OpenEdit${d.durationMs ? ` (${Math.round(d.durationMs / 1000)} s)` : ''}`;
  const head = [
    `<meta name="description" content="${e(desc)}">`,
    `<meta property="og:type" content="video.other">`,
    `<meta property="og:title" content="${t}">`,
    `<meta property="og:description" content="${e(desc)}">`,
    `<meta property="og:url" content="${e(d.pageUrl)}">`,
    `<meta property="og:video" content="${e(d.videoUrl)}">`,
    `<meta property="og:video:secure_url" content="${e(d.videoUrl)}">`,
    `<meta property="og:video:type" content="video/mp4">`,
    `<meta property="og:video:width" content="${d.width}">`,
    `<meta property="og:video:height" content="${d.height}">`,
    `<meta name="twitter:card" content="player">`,
    `<meta name="twitter:title" content="${t}">`,
    `<meta name="twitter:description" content="${e(desc)}">`,
    `<meta name="twitter:player" content="${e(d.pageUrl)}">`,
    `<meta name="twitter:player:width" content="${d.width}">`,
    `<meta name="twitter:player:height" content="${d.height}">`,
    `<meta name="twitter:player:stream" content="${e(d.videoUrl)}">`,
    `<meta name="twitter:player:stream:content_type" content="video/mp4">`,
  ].join('\n');
  // Captions are burned into the picture already; the VTT track is offered (off) for players and screen readers.
  const track = d.captionsVttUrl
    ? `<track kind="captions" srclang="en" label="Captions" src="${e(d.captionsVttUrl)}">`
    : '';
  const until = new Date(d.expiresAt).toUTCString();
  const body = `<video id="player" controls playsinline preload="metadata" width="${d.width}" height="${d.height}" src="${e(d.videoUrl)}">${track}</video>
<h1>${t}</h1>
<p>Available until ${e(until)}</p>
<a class="button" id="download" href="${e(d.downloadUrl)}" download="${e(d.title.replace(/[\\/:*?"<>|]+/g, '_'))}.mp4">Download MP4</a>`;
  return shell(d.title, head, body);
}

export function goneSharePage(): string {
  return shell(
    'This video has expired',
    '<meta name="robots" content="noindex">',
    '<h1>This video has expired</h1><p>Shared videos stay available for 7 days. Ask whoever sent you this link for a fresh one.</p>',
  );
}

export function missingSharePage(): string {
  return shell(
    'Video not found',
    '<meta name="robots" content="noindex">',
    '<h1>Video not found</h1><p>Check the link: it may be incomplete.</p>',
  );
}
