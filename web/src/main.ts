/**
 * The editor at `/`: projects (sessions), uploads, the chat that edits, the timeline and preview
 * of the current cut, undo/redo and export. Everything goes through the public HTTP API.
 */

import { TrackType } from '../../src/draft/track-type.ts';
import { ApiError, api, type SessionInfo, type SessionState } from './api.ts';
import { chatBusy, loadHistory, send } from './chat-panel.ts';
import { $, h, toast } from './dom.ts';
import { copyShareLink, exportDraft, renderExports } from './export-render.ts';
import { type Lang, lang, setLang, t } from './i18n.ts';
import { refreshPreview } from './preview-player.ts';
import { renderTimeline } from './timeline-view.ts';
import { initTranscript, refreshTranscript, relabelTranscript } from './transcript-view.ts';
import { tusUpload } from './tus-upload.ts';

const SESSION_KEY = 'openedit.session';
let current: string | null = null;

function errorText(err: unknown): string {
  return err instanceof ApiError ? err.message : t.networkError;
}

async function refreshCredits(): Promise<void> {
  const b = await api<{ available: number }>('/api/credits/balance/simple').catch(() => null);
  $('credits').textContent = b ? t.credits(b.available) : '';
}

async function listSessions(): Promise<void> {
  const { sessions } = await api<{ sessions: SessionInfo[] }>('/api/sessions');
  const ul = $('session-list');
  ul.replaceChildren(
    ...sessions.map((s) => {
      const label = s.task_name && s.task_name !== 'project' ? s.task_name : t.untitled;
      const when = new Date(s.updated_at).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en');
      const b = h('button', { type: 'button', 'data-sid': s.session_id, title: when }, `${label} · ${when}`);
      if (s.session_id === current) b.setAttribute('aria-current', 'true');
      b.addEventListener('click', () => void openSession(s.session_id));
      return h('li', {}, b);
    }),
  );
}

/** Reloads the session state: timeline, media, version, preview. */
async function refreshState(): Promise<void> {
  if (!current) return;
  const sid = current;
  const state = await api<SessionState>(`/api/state/nemo_agent/me/${encodeURIComponent(sid)}/latest`);
  if (sid !== current) return;
  renderTimeline($('timeline'), state.draft, state.video_infos);
  $('timeline').dataset.version = String(state.draft_version);
  $('draft-version').textContent = t.version(state.draft_version);
  $('media-list').replaceChildren(
    ...state.video_infos.map((m) =>
      h(
        'li',
        { 'data-media': m.media_id },
        `${m.name}${m.duration_ms ? ` · ${(m.duration_ms / 1000).toFixed(1)} s` : ''}${m.width ? ` · ${m.width}×${m.height}` : ''}`,
      ),
    ),
  );
  renderExports(state.generated_media);
  void refreshTranscript(sid);
  void refreshPreview(
    sid,
    state.draft.t.some((tr) => tr.tt === TrackType.video && tr.sg.length > 0),
  );
}

async function openSession(sid: string): Promise<void> {
  current = sid;
  localStorage.setItem(SESSION_KEY, sid);
  history.replaceState(null, '', `#s=${sid}`);
  $('editor').hidden = false;
  $('empty').hidden = true;
  $('chat-log').replaceChildren();
  $('export-result').hidden = true;
  $('export-progress').hidden = true;
  $('uploads').replaceChildren();
  for (const b of $('session-list').querySelectorAll('button'))
    b.toggleAttribute('aria-current', b.dataset.sid === sid);
  try {
    await Promise.all([refreshState(), loadHistory(sid)]);
  } catch (err) {
    // A project deleted elsewhere (or a stale link): back to the list.
    if (err instanceof ApiError && err.code === 1002) {
      current = null;
      localStorage.removeItem(SESSION_KEY);
      $('editor').hidden = true;
      $('empty').hidden = false;
      await listSessions();
    }
    toast(errorText(err));
  }
}

/** A new project, named if the user typed a name (the share page's description uses it). */
async function newSession(): Promise<void> {
  const nameInput = $<HTMLInputElement>('project-name');
  const name = nameInput.value.trim();
  const { session_id } = await api<{ session_id: string }>('/api/tasks/me/with-session/nemo_agent', {
    method: 'POST',
    json: { task_name: name || 'project', language: lang },
  });
  nameInput.value = '';
  await openSession(session_id);
  await listSessions();
}

async function uploadFiles(files: FileList | File[]): Promise<void> {
  const sid = current;
  if (!sid) return;
  await Promise.all(
    [...files].map(async (file) => {
      const label = h('span', {}, t.uploading(file.name, 0));
      const bar = h('progress', { max: '1', value: '0', 'aria-label': file.name });
      $('uploads').append(h('li', {}, label, bar));
      try {
        await tusUpload(sid, file, (f) => {
          bar.value = f;
          label.textContent = t.uploading(file.name, Math.floor(f * 100));
        });
        label.textContent = t.uploaded(file.name);
      } catch (err) {
        label.textContent = t.uploadFailed(file.name, err instanceof Error ? err.message : String(err));
      }
    }),
  );
  if (sid === current) await refreshState();
}

function say(text: string): void {
  if (!current || chatBusy()) return;
  void send(current, text, async () => {
    await refreshState().catch((err) => toast(errorText(err)));
    await refreshCredits();
  });
}

function wire(): void {
  const langSelect = $<HTMLSelectElement>('lang');
  langSelect.value = lang;
  langSelect.addEventListener('change', () => {
    setLang(langSelect.value as Lang);
    relabelTranscript();
    void listSessions();
    void refreshState();
    void refreshCredits();
  });
  $('new-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void newSession().catch((err) => toast(errorText(err)));
  });
  const input = $<HTMLInputElement>('file-input');
  $('pick').addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    if (input.files?.length) void uploadFiles([...input.files]);
    input.value = '';
  });
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer?.files.length) void uploadFiles(e.dataTransfer.files);
  });
  const chatInput = $<HTMLTextAreaElement>('chat-input');
  $('chat-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = chatInput.value;
    if (!text.trim() || chatBusy()) return;
    chatInput.value = '';
    say(text);
  });
  // Enter sends, Shift+Enter starts a new line (and IME composition keeps its Enter).
  chatInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      $<HTMLFormElement>('chat-form').requestSubmit();
    }
  });
  $('undo').addEventListener('click', () => say(t.undoWord));
  $('redo').addEventListener('click', () => say(t.redoWord));
  // Ctrl/Cmd+Z and Ctrl/Cmd+Shift+Z outside text fields: the draft's undo, not the browser's.
  document.addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement;
    if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'z' || target.closest('input, textarea')) return;
    e.preventDefault();
    say(e.shiftKey ? t.redoWord : t.undoWord);
  });
  $('export').addEventListener('click', () => {
    if (current)
      void exportDraft(current, () => {
        void refreshCredits();
        void refreshState();
      });
  });
  $('copy-share').addEventListener('click', () => void copyShareLink());
  // A transcript edit is a new draft version: redraw the timeline and preview as after a chat turn.
  initTranscript(() => refreshState().catch((err) => toast(errorText(err))));
  // The skip link lands in the chat box, ready to type (a fragment jump alone may only scroll).
  document.querySelector('.skip')!.addEventListener('click', (e) => {
    e.preventDefault();
    chatInput.focus();
  });
}

async function boot(): Promise<void> {
  setLang(lang);
  wire();
  try {
    await Promise.all([listSessions(), refreshCredits()]);
    const fromHash = /^#s=(.+)$/.exec(location.hash)?.[1];
    const sid = fromHash ?? localStorage.getItem(SESSION_KEY);
    if (sid) await openSession(sid);
  } catch (err) {
    toast(errorText(err));
  }
  document.body.dataset.ready = 'true';
}

void boot();
