/**
 * Issue 11, item 6 (Worker side): names people read cannot be disguised. A U+202E RIGHT-TO-LEFT
 * OVERRIDE in an uploaded file's name or a session name is removed ("clip\u202Egpj.exe" would
 * read "clipexe.jpg"); the rest of the name stays as written.
 */
import { describe, expect, it } from 'vitest';
import { stripBidiControls } from '../../src/uploads/names.ts';
import { call, json, mintToken, newSession, userWithSession } from './helpers.ts';
import * as fx from './uploads-fixtures.ts';

describe('bidi controls in display names', () => {
  it('strips embeddings, overrides and isolates only', () => {
    expect(stripBidiControls('a\u202Ab\u202Bc\u202Cd\u202De\u202Ef\u2066g\u2067h\u2068i\u2069j')).toBe('abcdefghij');
    expect(stripBidiControls('שלום مرحبا 你好 🎬')).toBe('שלום مرحبا 你好 🎬');
  });

  it('an uploaded file keeps its name minus the override', async () => {
    const u = await userWithSession();
    const bytes = fx.wav(2000);
    const res = await call(`/api/upload-video/nemo_agent/me/${u.session_id}/raw`, {
      method: 'PUT',
      token: u.token,
      headers: { 'x-file-name': encodeURIComponent('voice\u202Evaw.exe'), 'content-length': String(bytes.length) },
      body: bytes,
    });
    const body = await json<{ media: { name: string }[] }>(res);
    expect(body.code, body.message).toBe(0);
    expect(body.data.media[0]!.name).toBe('voicevaw.exe');
  });

  it('a session name loses the override (and an override-only name falls back to the default)', async () => {
    const u = await mintToken();
    await newSession(u.token, { task_name: 'invoice\u202Efdp.exe', language: 'en' });
    await newSession(u.token, { task_name: '\u202E\u202E', language: 'en' });
    const list = await json<{ sessions: { task_name: string }[] }>(await call('/api/sessions', { token: u.token }));
    expect(list.data.sessions.map((s) => s.task_name).sort()).toEqual(['invoicefdp.exe', 'project']);
  });
});
