/**
 * Issue 11, item 4: upload-by-URL and webhooks cannot reach inside. Every loopback, private,
 * link-local, metadata or reserved address, in each of its spellings, gets the same 400 (so the
 * answers cannot map ports or hosts), nothing is fetched or stored, and no credit moves. Redirects
 * are followed by hand and each hop is checked.
 */
import { describe, expect, it } from 'vitest';
import { fetchOutbound, outboundProblem, outboundRefused } from '../../src/lib/outbound-url.ts';
import { call, json, userWithSession } from './helpers.ts';
import { expectUnchanged, snapshot } from './hostile-helpers.ts';
import { draftOf, postRender, userWithClip } from './render-helpers.ts';

const INSIDE = [
  'http://127.0.0.1:8787/api/sessions',
  'http://0x7f000001/',
  'http://2130706433/',
  'http://127.1/',
  'http://0177.0.0.1/',
  'http://0.0.0.0:8788/',
  'http://[::1]:8788/',
  'http://[::]/',
  'http://[::ffff:127.0.0.1]/',
  'http://[::ffff:7f00:1]/',
  'http://[64:ff9b::a9fe:a9fe]/',
  'http://169.254.169.254/latest/meta-data/',
  'http://metadata.google.internal/computeMetadata/v1/',
  'http://10.0.0.1/',
  'http://172.16.5.4/',
  'http://192.168.1.1/',
  'http://100.64.0.1/',
  'http://[fd00::1]/',
  'http://[fe80::1]/',
  'http://localhost:8788/health',
  'http://engine.localhost/',
  'http://engine:8788/render',
  'https://user:pw@example.com/a.mp4',
];

describe('outboundProblem (pure: the URL parser canonicalises, this judges)', () => {
  it.each(INSIDE)('refuses %s', (url) => expect(outboundProblem(new URL(url))).not.toBeNull());
  it.each(['https://example.com/a.mp4', 'http://8.8.8.8/x', 'http://[2606:4700:4700::1111]/', 'http://172.32.0.1/'])(
    'allows %s',
    (url) => expect(outboundProblem(new URL(url))).toBeNull(),
  );
});

describe('upload by URL', () => {
  it('answers every inside address, and an unresolvable public name, with one identical 400; nothing stored', async () => {
    const u = await userWithSession();
    const before = await snapshot(u);
    const messages = new Set<string>();
    for (const url of [...INSIDE, 'https://nothing-here.invalid/clip.mp4']) {
      const res = await call(`/api/upload-video/nemo_agent/me/${u.session_id}`, {
        method: 'POST',
        token: u.token,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url }),
      });
      const body = await json(res);
      expect([res.status, body.code], url).toEqual([400, 400]);
      messages.add(body.message);
    }
    expect([...messages]).toEqual([outboundRefused('url')]);
    await expectUnchanged(u, before, 'upload by URL');
  });

  it('checks every redirect hop and stops at the first inside one', async () => {
    const asked: string[] = [];
    const script: Record<string, Response> = {
      'https://cdn.example.com/a.mp4': new Response(null, { status: 302, headers: { location: '/b.mp4' } }),
      'https://cdn.example.com/b.mp4': new Response(null, { status: 301, headers: { location: 'http://2130706433/' } }),
    };
    const fetcher = async (url: URL) => {
      asked.push(url.href);
      return script[url.href] ?? new Response('unexpected');
    };
    const err = await fetchOutbound('url', 'https://cdn.example.com/a.mp4', {}, fetcher).catch((e) => e);
    expect(err.message).toBe(outboundRefused('url'));
    expect(asked).toEqual(['https://cdn.example.com/a.mp4', 'https://cdn.example.com/b.mp4']);
    // A webhook POST is never re-sent to a redirect target, public or not.
    const hook = await fetchOutbound(
      'webhook_url',
      'https://hooks.example.com/h',
      { method: 'POST', body: '{}' },
      async () => new Response(null, { status: 307, headers: { location: 'https://elsewhere.example.com/' } }),
    ).catch((e) => e);
    expect(hook.message).toBe(outboundRefused('webhook_url'));
  });
});

describe('render webhooks', () => {
  it.each(INSIDE)('refuses webhook_url %s before freezing anything', async (url) => {
    const u = await userWithClip();
    const before = await snapshot(u);
    const res = await postRender(u.token, {
      id: 'render_hook_inside',
      sessionId: u.session_id,
      draft: draftOf(u.mediaId),
      webhook_url: url,
    });
    const body = await json(res);
    expect([res.status, body.code]).toEqual([400, 400]);
    expect(body.message).toContain('webhook_url');
    await expectUnchanged(u, before, url);
  });
});
