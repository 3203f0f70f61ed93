import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { UserDO } from '../../src/durable/user-do.ts';
import { rawUserStub } from '../../src/lib/user-stub.ts';
import { makeShareId, userIdFromShareId } from '../../src/render/share-id.ts';
import { call } from './helpers.ts';
import { userWithDoneRender } from './render-helpers.ts';

const meta = (html: string, attr: 'property' | 'name', key: string) =>
  new RegExp(`<meta ${attr}="${key}" content="([^"]*)"`).exec(html)?.[1];

describe('share page GET /s/:share_id', () => {
  it('renders a player, the title, Open Graph and Twitter tags and a download button, without auth', async () => {
    const u = await userWithDoneRender('render_share_ok', { m: { title: 'Urban <Dreams> & "Nights"' } });
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
    const video = meta(html, 'property', 'og:video')!.replaceAll('&amp;', '&');
    expect(video).toMatch(/\/api\/blob\/u\/.+\/out\.mp4\?m=GET&exp=\d+&sig=[0-9a-f]{64}$/);
    expect(html).toMatch(/<video id="player" controls[^>]* src="[^"]+out\.mp4/);
    expect(html).toMatch(/<a class="button" id="download" href="[^"]+" download="Urban _Dreams_ &amp; _Nights_\.mp4">/);
    // The video URL it embeds works without a token, with Range.
    const media = await call(new URL(video).pathname + new URL(video).search, { headers: { range: 'bytes=0-9' } });
    expect(media.status).toBe(206);
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
    const altered = (id[10] === 'A' ? 'B' : 'A') + id.slice(1);
    for (const bad of [altered, 'nonsense', `${u.user_id}-abc`, await makeShareId('another-secret', u.user_id)]) {
      const res = await call(`/s/${bad}`);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain('Video not found');
    }
    // A well-formed id of this deployment that names no render.
    expect((await call(`/s/${await makeShareId(env.SIGNING_SECRET, u.user_id)}`)).status).toBe(404);
  });
});
