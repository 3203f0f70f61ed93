/**
 * The share page (`GET /s/:share_id`): a self-contained HTML page with a player sized to the
 * video's shape, the title, Open Graph and Twitter card tags (so links unfurl with a picture and
 * a playable video), an expiry notice and a download button. No scripts, no external assets.
 */
export interface SharePageData {
  title: string;
  /** The session's project name, when it says more than the title. */
  project: string | null;
  /** The session's language: `zh*` gets Chinese page text. */
  language: string;
  pageUrl: string;
  /** The player's source (signed). */
  videoUrl: string;
  /** The same MP4 at a stable public URL, for og:video: unfurlers cache it for days. */
  streamUrl: string;
  downloadUrl: string;
  width: number;
  height: number;
  durationMs: number | null;
  expiresAt: number;
  captionsVttUrl: string | null;
  poster: { url: string; width: number; height: number } | null;
}

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

// The player box takes the video's aspect ratio (set inline) and is capped by the viewport height,
// so a 9:16 video is tall and narrow on a laptop and fills the width on a phone.
const STYLE = `body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",sans-serif;
background:#0f1115;color:#e8eaed;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{width:min(100vw,960px);box-sizing:border-box;padding:16px;text-align:center}
.player{margin:0 auto;max-width:100%;max-height:78vh;max-height:78dvh;background:#000;border-radius:12px;overflow:hidden}
video{display:block;width:100%;height:100%;object-fit:contain;background:#000}
h1{font-size:1.4rem;margin:16px 0 8px;overflow-wrap:anywhere}p{color:#9aa0a6;margin:4px 0 16px}
a.button{display:inline-block;padding:10px 20px;border-radius:999px;background:#3b82f6;color:#fff;text-decoration:none;font-weight:600}
a.button:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}`;

const TEXT = {
  en: {
    desc: (d: number | null) => `A video made with OpenEdit${d ? ` (${Math.round(d / 1000)} s)` : ''}`,
    until: (date: string, days: number) =>
      `This link expires on ${date}${days >= 1 ? ` (in ${days} day${days === 1 ? '' : 's'})` : ' (in less than a day)'}.`,
    download: 'Download MP4',
    captions: 'Captions',
  },
  zh: {
    desc: (d: number | null) => `用 OpenEdit 制作的视频${d ? `（${Math.round(d / 1000)} 秒）` : ''}`,
    until: (date: string, days: number) =>
      `此链接将于 ${date} 过期${days >= 1 ? `（还有 ${days} 天）` : '（不到一天）'}。`,
    download: '下载 MP4',
    captions: '字幕',
  },
};

function shell(lang: string, title: string, head: string, body: string): string {
  return `<!doctype html>
<html lang="${lang}">
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

export function sharePage(d: SharePageData, nowMs = Date.now()): string {
  const zh = d.language.toLowerCase().startsWith('zh');
  const tx = zh ? TEXT.zh : TEXT.en;
  const e = escapeHtml;
  const t = e(d.title);
  const desc = d.project ? `${d.project} · ${tx.desc(d.durationMs)}` : tx.desc(d.durationMs);
  const meta = (attr: 'name' | 'property', key: string, value: string | number) =>
    `<meta ${attr}="${key}" content="${e(String(value))}">`;
  const head = [
    meta('name', 'description', desc),
    meta('property', 'og:type', 'video.other'),
    meta('property', 'og:title', d.title),
    meta('property', 'og:description', desc),
    meta('property', 'og:url', d.pageUrl),
    meta('property', 'og:video', d.streamUrl),
    ...(d.streamUrl.startsWith('https:') ? [meta('property', 'og:video:secure_url', d.streamUrl)] : []),
    meta('property', 'og:video:type', 'video/mp4'),
    meta('property', 'og:video:width', d.width),
    meta('property', 'og:video:height', d.height),
    ...(d.poster
      ? [
          meta('property', 'og:image', d.poster.url),
          ...(d.poster.url.startsWith('https:') ? [meta('property', 'og:image:secure_url', d.poster.url)] : []),
          meta('property', 'og:image:type', 'image/jpeg'),
          meta('property', 'og:image:width', d.poster.width),
          meta('property', 'og:image:height', d.poster.height),
          meta('property', 'og:image:alt', d.title),
        ]
      : []),
    // A player card needs an image; without a poster the plain summary card is the honest one.
    meta('name', 'twitter:card', d.poster ? 'player' : 'summary'),
    meta('name', 'twitter:title', d.title),
    meta('name', 'twitter:description', desc),
    ...(d.poster
      ? [
          meta('name', 'twitter:image', d.poster.url),
          meta('name', 'twitter:image:alt', d.title),
          meta('name', 'twitter:player', d.pageUrl),
          meta('name', 'twitter:player:width', d.width),
          meta('name', 'twitter:player:height', d.height),
          meta('name', 'twitter:player:stream', d.streamUrl),
          meta('name', 'twitter:player:stream:content_type', 'video/mp4'),
        ]
      : []),
  ].join('\n');
  // Captions are burned into the picture already; the VTT track is offered (off) for players and screen readers.
  const track = d.captionsVttUrl
    ? `<track kind="captions" srclang="${zh ? 'zh' : 'en'}" label="${tx.captions}" src="${e(d.captionsVttUrl)}">`
    : '';
  const poster = d.poster ? ` poster="${e(d.poster.url)}"` : '';
  // Width from the height cap keeps a tall video inside the viewport; aspect-ratio then sets the height.
  const box = `aspect-ratio:${d.width}/${d.height};width:min(100%,calc(78vh * ${d.width} / ${d.height}))`;
  const days = Math.round((d.expiresAt - nowMs) / 86_400_000);
  const until = new Date(d.expiresAt).toISOString().slice(0, 16).replace('T', ' ');
  const body = `<div class="player" id="player-box" style="${box}"><video id="player" controls playsinline preload="metadata" width="${d.width}" height="${d.height}"${poster} src="${e(d.videoUrl)}">${track}</video></div>
<h1>${t}</h1>
<p id="expiry">${e(tx.until(`${until} UTC`, days))}</p>
<a class="button" id="download" href="${e(d.downloadUrl)}" download="${e(d.title.replace(/[\\/:*?"<>|]+/g, '_'))}.mp4">${tx.download}</a>`;
  return shell(zh ? 'zh' : 'en', d.title, head, body);
}

export function goneSharePage(): string {
  return shell(
    'en',
    'This video has expired',
    '<meta name="robots" content="noindex">',
    '<h1>This video has expired</h1><p>Shared videos stay available for 7 days. Ask whoever sent you this link for a fresh one.</p>',
  );
}

export function missingSharePage(): string {
  return shell(
    'en',
    'Video not found',
    '<meta name="robots" content="noindex">',
    '<h1>Video not found</h1><p>Check the link: it may be incomplete.</p>',
  );
}
