/**
 * Issue 11, item 5: deleting means deleted. After DELETE /api/sessions/:sid the render's share page
 * answers 404, its signed download and caption links 404, and R2 holds nothing of the session: no
 * upload, no render output, no analysis JSON, no tus parts or tail objects. A render still running
 * is cancelled with its credits returned. Another session of the same user keeps everything.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { analysisKey } from '../../src/agent/analysis.ts';
import { userStub } from '../../src/durable/user-stub.ts';
import { BASE, call, json, newSession } from './helpers.ts';
import { expectBalanced, postRender, userWithClip, userWithDoneRender } from './render-helpers.ts';
import * as fx from './uploads-fixtures.ts';

const MiB = 1024 * 1024;
const TUS = { 'tus-resumable': '1.0.0' };
const keysOf = async (userId: string) =>
  (await env.MEDIA.list({ prefix: `u/${userId}/` })).objects.map((o) => o.key).sort();
const local = (url: string) => (url.startsWith(BASE) ? url.slice(BASE.length) : url);

/** A valid MP4 header followed by `n` bytes of pseudo-random payload (enough for a tus multipart tail). */
function mp4Of(n: number): Uint8Array {
  const payload = new Uint8Array(n);
  for (let i = 0; i < n; i += 4096) payload[i] = (i / 4096) & 0xff;
  return fx.concat(fx.ftyp('isom', 'mp41'), fx.box('mdat', payload), fx.moov());
}

describe('DELETE /api/sessions/:sid removes everything the session made', () => {
  it('share page and download links stop working; uploads, renders, analysis and tus leftovers leave R2', async () => {
    const u = await userWithDoneRender('render_del_1');
    const media = (await userStub(env, u.user_id).listMedia(u.session_id))[0]!;
    await env.MEDIA.put(analysisKey(media, 'en'), '{"pauses":[]}');
    await env.MEDIA.put(analysisKey(media, 'zh'), '{"pauses":[]}');
    // An unfinished tus upload in this session: 12 MiB sent of 15 leaves a multipart and a tail object.
    const file = mp4Of(15 * MiB);
    const created = await call(`/api/upload-video/nemo_agent/me/${u.session_id}/tus`, {
      method: 'POST',
      token: u.token,
      headers: { ...TUS, 'upload-length': String(file.length) },
    });
    const tusPath = new URL(created.headers.get('location')!).pathname;
    const sent = await call(tusPath, {
      method: 'PATCH',
      token: u.token,
      headers: { ...TUS, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' },
      body: file.slice(0, 12 * MiB),
    });
    expect(sent.status).toBe(204);
    // The same user's other session must keep its own objects.
    const other = await newSession(u.token);
    const otherKey = `u/${u.user_id}/media/med_keep/keep.mp4`;
    await env.MEDIA.put(otherKey, 'keep', { httpMetadata: { contentType: 'video/mp4' } });

    const shareUrl = local(u.status.share_url!);
    const downloadUrl = local(u.status.url!);
    expect((await call(shareUrl)).status).toBe(200);
    const before = await call(downloadUrl);
    expect(before.status).toBe(200);
    await before.arrayBuffer();
    const keysBefore = await keysOf(u.user_id);
    expect(keysBefore.some((k) => k.includes('/analysis/'))).toBe(true);
    expect(keysBefore.some((k) => k.includes('/tmp/tus/'))).toBe(true);
    expect(keysBefore.some((k) => k.includes('/renders/render_del_1/'))).toBe(true);

    const del = await json<{ deleted: string; objects: number }>(
      await call(`/api/sessions/${u.session_id}`, { method: 'DELETE', token: u.token }),
    );
    expect(del.code).toBe(0);

    const share = await call(shareUrl);
    expect(share.status).toBe(404);
    await share.text();
    const download = await call(downloadUrl);
    expect(download.status).toBe(404);
    expect((await json(download)).code).toBe(404);
    expect(await keysOf(u.user_id)).toEqual([otherKey]);
    expect((await call(tusPath, { method: 'HEAD', token: u.token, headers: TUS })).status).toBe(404);
    expect((await call(`/api/render/proxy/lambda/render_del_1`, { token: u.token })).status).toBe(404);
    expect((await call(`/api/state/nemo_agent/me/${u.session_id}/latest`, { token: u.token })).status).toBe(404);
    expect((await call(`/api/state/nemo_agent/me/${other.session_id}/latest`, { token: u.token })).status).toBe(200);
    // The finished render was paid for: deleting it later does not refund, and the ledger balances.
    expect(await expectBalanced(u.user_id)).toMatchObject({ spent: 1, frozen: 0 });
  }, 30_000);

  it('a render still running is cancelled and its credits come back', async () => {
    const u = await userWithClip();
    const res = await postRender(u.token, {
      id: 'render_del_running',
      sessionId: u.session_id,
      draft: {
        w: 1080,
        h: 1920,
        fps: 30,
        d: 10_000,
        t: [{ id: 'v', tt: 0, m: {}, sg: [{ id: 's', src: u.mediaId, s: 0, d: 10_000 }] }],
      },
    });
    expect((await json(res)).code).toBe(0);
    expect((await userStub(env, u.user_id).balance()).frozen).toBeGreaterThan(0);
    const del = await call(`/api/sessions/${u.session_id}`, { method: 'DELETE', token: u.token });
    expect((await json(del)).code).toBe(0);
    const ledger = (await userStub(env, u.user_id).ledger()).filter((r) => r.ref === 'render_del_running');
    expect(ledger.map((r) => r.kind).sort()).toEqual(['freeze', 'refund']);
    expect(await expectBalanced(u.user_id)).toMatchObject({ frozen: 0, spent: 0 });
    expect(await keysOf(u.user_id)).toEqual([]);
  });
});
