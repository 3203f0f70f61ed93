import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigStore, configDir, DEFAULT_BASE_URL, envToken, resolveBaseUrl } from '../../../cli/config.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'openedit-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('config', () => {
  it('lives under $XDG_CONFIG_HOME/openedit, else ~/.config/openedit', () => {
    expect(configDir({ XDG_CONFIG_HOME: '/x' })).toBe('/x/openedit');
    expect(configDir({})).toMatch(/\.config\/openedit$/);
  });

  it('resolves the base URL: flag, then OPENEDIT_BASE_URL, then the local default', () => {
    expect(resolveBaseUrl('http://a:1/', { OPENEDIT_BASE_URL: 'http://b:2' })).toBe('http://a:1');
    expect(resolveBaseUrl(undefined, { OPENEDIT_BASE_URL: 'http://b:2' })).toBe('http://b:2');
    expect(resolveBaseUrl(undefined, {})).toBe(DEFAULT_BASE_URL);
  });

  it('prefers OPENEDIT_TOKEN over the skill clients’ NEMO_TOKEN', () => {
    expect(envToken({ OPENEDIT_TOKEN: 'a', NEMO_TOKEN: 'b' })).toEqual({ token: 'a', source: 'OPENEDIT_TOKEN' });
    expect(envToken({ NEMO_TOKEN: 'b' })).toEqual({ token: 'b', source: 'NEMO_TOKEN' });
    expect(envToken({ OPENEDIT_TOKEN: '' })).toBeNull();
  });

  it('keeps one stable client id, unless the environment names one', () => {
    const store = new ConfigStore(dir);
    const id = store.clientId({});
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new ConfigStore(dir).clientId({})).toBe(id);
    expect(store.clientId({ NEMO_CLIENT_ID: 'nemo-client-1' })).toBe('nemo-client-1');
  });

  it('caches tokens per service in an owner-only file and remembers the last session', () => {
    const store = new ConfigStore(dir);
    store.saveToken('http://a', { token: 't1', user_id: 'u', expires_at: 5 });
    store.rememberSession('http://a', 'ses_1');
    store.saveToken('http://a', { token: 't2', user_id: 'u', expires_at: 6 });
    expect(store.getToken('http://a')).toEqual({ token: 't2', user_id: 'u', expires_at: 6, last_session_id: 'ses_1' });
    expect(store.getToken('http://b')).toBeNull();
    expect(statSync(join(dir, 'token.json')).mode & 0o777).toBe(0o600);
    store.dropToken('http://a');
    expect(store.getToken('http://a')?.token).toBe('');
    expect(store.lastSession('http://a')).toBe('ses_1');
    store.forgetSession('http://a', 'ses_1');
    expect(store.lastSession('http://a')).toBeUndefined();
    expect(JSON.parse(readFileSync(join(dir, 'token.json'), 'utf8')).tokens['http://a'].token).toBe('');
  });
});
