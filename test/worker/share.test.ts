import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { UserDO } from '../../src/durable/user-do.ts';
import { rawUserStub } from '../../src/durable/user-stub.ts';
import { makeShareId, userIdFromShareId } from '../../src/render/share-id.ts';
import { call } from './helpers.ts';
import { userWithDoneRender } from './render-helpers.ts';

const meta = (html: string, attr: 'property' | 'name', key: string) =>
  new RegExp(`<meta ${attr}="${key}" content="([^"]*)"`).exec(html)?.[1];

describe('share page GET /s/:share_id', () => {
  it('renders a player, the title, Open Graph and Twitter tags and a download button, without auth', async () => {
    const u = await userWithDoneRender(
      'render_share_ok',
      { m: { title: 'Urban <Dreams> & "Nights"' } },
      { poster: true },
    );
    const path = new URL(u.status.share_url!).pathname;
    const res = await call(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('<title>Urban &lt;Dreams&gt; &amp; &quot;Nights&quot;</title>');
    expect(meta(html, 'property', 'og:title')).toBe('Urban &lt;Dreams&gt; &amp; &quot;Nights&quot;');
    expect(meta(html, 'property', 'og:type')).toBe('video.other');
    expect(meta(html, 'property', 'og:video:type')).toBe('video/mp4');
    expect(meta(html, 'property', 'og:video:width')).toBe('1080');
    expect(meta(html, 'property', 'og:video:height')).toBe('1920');
    expect(meta(html, 'property', 'og:url')).toBe(`http://127.0.0.1:8787${path}`);
    expect(meta(html, 'name', 'twitter:card')).toBe('player');
    expect(meta(html, 'name', 'twitter:player:stream:content_type')).toBe('video/mp4');
    // og:video is a stable public URL (unfurlers cache it for days); the player plays a signed one.
    const stream = `http://127.0.0.1:8787${path}/video.mp4`;
    expect(meta(html, 'property', 'og:video')).toBe(stream);
    expect(meta(html, 'name', 'twitter:player:stream')).toBe(stream);
    // secure_url only for an https origin (this test's is http).
    expect(meta(html, 'property', 'og:video:secure_url')).toBeUndefined();
    const src = /<video id="player" controls[^>]* src="([^"]+)"/.exec(html)![1]!.replaceAll('&amp;', '&');
    expect(src).toMatch(/\/api\/blob\/u\/.+\/out\.mp4\?m=GET&exp=\d+&sig=[0-9a-f]{64}$/);
    expect(html).toMatch(/<a class="button" id="download" href="[^"]+" download="Urban _Dreams_ &amp; _Nights_\.mp4">/);
    // Both work without a token, with Range, as players and crawlers ask.
    for (const url of [src, stream]) {
      const media = await call(new URL(url).pathname + new URL(url).search, { headers: { range: 'bytes=0-9' } });
      expect(media.status).toBe(206);
      expect(media.headers.get('content-range')).toBe('bytes 0-9/2048');
      expect(media.headers.get('content-type')).toBe('video/mp4');
    }
  });

  it('with a poster: player poster, og:image and twitter:image with its size, the box sized to the video, an expiry notice', async () => {
    const u = await userWithDoneRender('render_share_poster', { m: { title: 'Tall one' } }, { poster: true });
    const path = new URL(u.status.share_url!).pathname;
    const html = await (await call(path)).text();
    const poster = `http://127.0.0.1:8787${path}/poster.jpg`;
    expect(meta(html, 'property', 'og:image')).toBe(poster);
    expect(meta(html, 'property', 'og:image:type')).toBe('image/jpeg');
    // 1080×1920 scaled to fit 1280×1280 (src/render/poster-size.ts).
    expect(meta(html, 'property', 'og:image:width')).toBe('720');
    expect(meta(html, 'property', 'og:image:height')).toBe('1280');
    expect(meta(html, 'name', 'twitter:image')).toBe(poster);
    expect(meta(html, 'name', 'twitter:card')).toBe('player');
    expect(html).toMatch(new RegExp(`<video id="player"[^>]* poster="${poster}"`));
    expect(html).toContain('style="aspect-ratio:1080/1920;width:min(100%,calc(78vh * 1080 / 1920))"');
    expect(html).toMatch(/<p id="expiry">This link expires on \d{4}-\d\d-\d\d \d\d:\d\d UTC \(in [67] days\)\.<\/p>/);
    // The poster is public (no auth, no signature) and stable, as unfurlers need.
    const img = await call(`${path}/poster.jpg`);
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/jpeg');
    expect(img.headers.get('cache-control')).toBe('public, max-age=3600');
    expect([...new Uint8Array(await img.arrayBuffer())].slice(0, 3)).toEqual([0xff, 0xd8, 0xff]);
    // The poll hands it out too, signed.
    expect(u.status.poster_url).toMatch(/\/poster\.jpg\?m=GET&exp=\d+&sig=[0-9a-f]{64}$/);
    // Once expired, the poster goes with the page.
    await runInDurableObject(rawUserStub(env, u.user_id), async (_o: UserDO, state) => {
      state.storage.sql.exec('UPDATE renders SET expires_at = ?', Date.now() - 1);
    });
    expect((await call(`${path}/poster.jpg`)).status).toBe(410);
    expect((await call(`${path}/video.mp4`)).status).toBe(410);
  });

  it('takes its description and language from the session: project name, Chinese text for a zh session', async () => {
    const u = await userWithDoneRender('render_share_zh', { m: { title: '城市之梦' } }, { poster: true });
    const path = new URL(u.status.share_url!).pathname;
    const en = await (await call(path)).text();
    // The default project name says nothing: left out.
    expect(meta(en, 'name', 'description')).toBe('A video made with OpenEdit (10 s)');
    await runInDurableObject(rawUserStub(env, u.user_id), async (_o: UserDO, state) => {
      state.storage.sql.exec("UPDATE sessions SET language = 'zh-CN', task_name = '周末短片'");
    });
    const zh = await (await call(path)).text();
    expect(zh).toContain('<html lang="zh">');
    expect(meta(zh, 'property', 'og:description')).toBe('周末短片 · 用 OpenEdit 制作的视频（10 秒）');
    expect(zh).toMatch(/<p id="expiry">此链接将于 \d{4}-\d\d-\d\d \d\d:\d\d UTC 过期（还有 7 天）。<\/p>/);
    expect(zh).toContain('>下载 MP4</a>');
  });

  it('without a poster: no og:image, a summary card, and the poster URL is a 404', async () => {
    const u = await userWithDoneRender('render_share_noposter');
    const path = new URL(u.status.share_url!).pathname;
    const html = await (await call(path)).text();
    expect(meta(html, 'property', 'og:image')).toBeUndefined();
    expect(meta(html, 'name', 'twitter:card')).toBe('summary');
    expect(html).not.toContain(' poster=');
    expect((await call(`${path}/poster.jpg`)).status).toBe(404);
  });

  it('answers a friendly 410 page once the render expired', async () => {
    const u = await userWithDoneRender('render_share_expiring');
    const path = new URL(u.status.share_url!).pathname;
    expect((await call(path)).status).toBe(200);
    await runInDurableObject(rawUserStub(env, u.user_id), async (_o: UserDO, state) => {
      state.storage.sql.exec('UPDATE renders SET expires_at = ?', Date.now() - 1);
    });
    const res = await call(path);
    expect(res.status).toBe(410);
    const html = await res.text();
    expect(html).toContain('This video has expired');
    expect(html).not.toContain('<video');
    // The poll no longer hands out a download URL either.
    const p = (await (await call(`/api/render/proxy/lambda/render_share_expiring`, { token: u.token })).json()) as {
      data: { url?: string; expires_at: number };
    };
    expect(p.data.url).toBeUndefined();
    expect(p.data.expires_at).toBeLessThan(Date.now());
  });

  it('answers 404 for forged, altered or unknown share ids', async () => {
    const u = await userWithDoneRender('render_share_forge');
    const id = new URL(u.status.share_url!).pathname.slice(3);
    expect(await userIdFromShareId(env.SIGNING_SECRET, id)).toBe(u.user_id);
    // Change the first character (it was checking another one: 1 run in 64 left the id unaltered).
    const altered = (id[0] === 'A' ? 'B' : 'A') + id.slice(1);
    for (const bad of [altered, 'nonsense', `${u.user_id}-abc`, await makeShareId('another-secret', u.user_id)]) {
      const res = await call(`/s/${bad}`);
      expect(res.status).toBe(404);
      expect((await call(`/s/${bad}/video.mp4`)).status).toBe(404);
      expect(await res.text()).toContain('Video not found');
    }
    // A well-formed id of this deployment that names no render.
    expect((await call(`/s/${await makeShareId(env.SIGNING_SECRET, u.user_id)}`)).status).toBe(404);
  });
});
