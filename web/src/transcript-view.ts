/**
 * The transcript panel: the timeline's words, cut ones struck through, fillers marked. A run of
 * words is selected with the mouse (click, shift-click) or the keyboard (arrows, Shift+arrows,
 * Home/End), then cut, restored, or its caption text fixed. Every edit is one draft version, so
 * the chat's undo takes it back; after each one the caller redraws the timeline and preview.
 */
import { ApiError, api } from './api.ts';
import { $, h } from './dom.ts';
import { t } from './i18n.ts';

interface Word {
  id: string;
  text: string;
  s: number | null;
  cut: boolean;
  filler: boolean;
}
interface Pending {
  name: string;
  status: 'analysing' | 'needs_request';
  estimated_ms: number;
  credits: number;
}
interface Transcript {
  draft_version: number;
  language: string;
  words: Word[];
  pending: Pending[];
}

let sid: string | null = null;
let data: Transcript | null = null;
/** The selection by word id, not index, so it survives a reload that changes the list around it. */
let anchorId: string | null = null;
let focusId: string | null = null;
let pollTimer: ReturnType<typeof setTimeout> | undefined;
let busy = false;
let afterEdit: () => Promise<void> = async () => {};

const base = () => `/api/transcript/nemo_agent/me/${encodeURIComponent(sid ?? '')}`;
const indexOf = (id: string | null) => (id && data ? data.words.findIndex((w) => w.id === id) : -1);

/** The selected run as [first, last] indices, or null. */
function range(): [number, number] | null {
  const a = indexOf(anchorId);
  const f = indexOf(focusId);
  if (a < 0 || f < 0) return null;
  return a <= f ? [a, f] : [f, a];
}

function selectedWords(): Word[] {
  const r = range();
  return r && data ? data.words.slice(r[0], r[1] + 1) : [];
}

/** Words as the language writes them: Chinese has no spaces between words. */
function joinWords(words: Word[]): string {
  const sep = data?.language.startsWith('zh') ? '' : ' ';
  return words.map((w) => w.text.trim()).join(sep);
}

function note(text: string): void {
  $('transcript-note').textContent = text;
}

/** Marks the selection and the keyboard's current word without rebuilding the list. */
function paint(): void {
  const r = range();
  const list = $('transcript');
  for (const [i, el] of [...list.children].entries()) {
    const on = r !== null && i >= r[0] && i <= r[1];
    el.setAttribute('aria-selected', String(on));
  }
  const f = indexOf(focusId);
  list.querySelector('.active')?.classList.remove('active');
  list.children[f]?.classList.add('active');
  if (f >= 0) {
    list.setAttribute('aria-activedescendant', `tw-${f}`);
    list.children[f]?.scrollIntoView({ block: 'nearest' });
  } else list.removeAttribute('aria-activedescendant');
  const words = selectedWords();
  const allCut = words.length > 0 && words.every((w) => w.cut);
  const cutBtn = $<HTMLButtonElement>('cut-words');
  cutBtn.textContent = allCut ? t.restoreWords : t.cutWords;
  cutBtn.disabled = busy || words.length === 0;
  $<HTMLButtonElement>('fix-submit').disabled = busy || words.length === 0;
  $('transcript-sel').textContent = words.length ? t.selectedWords(words.length) : t.selectHint;
  const fix = $<HTMLInputElement>('fix-text');
  // Offer the selected words as the text to correct, unless the user is typing there.
  if (document.activeElement !== fix) fix.value = joinWords(words);
}

function render(): void {
  const list = $('transcript');
  const status = $('transcript-status');
  if (!data) return;
  list.dataset.version = String(data.draft_version);
  const p = data.pending[0];
  status.textContent = p
    ? p.status === 'analysing'
      ? t.analysing(Math.max(1, Math.ceil(p.estimated_ms / 1000)))
      : t.needsRequest(p.name, p.credits)
    : '';
  list.replaceChildren(
    ...data.words.map((w, i) => {
      const cls = `word${w.cut ? ' cut' : ''}${w.filler ? ' filler' : ''}`;
      const label = `${w.text.trim()}${w.cut ? ` (${t.cutLabel})` : ''}${w.filler ? ` (${t.fillerLabel})` : ''}`;
      return h(
        'span',
        { id: `tw-${i}`, class: cls, role: 'option', 'aria-label': label, 'data-id': w.id },
        w.text.trim(),
      );
    }),
  );
  // Nothing analysed and nothing pending: say what would bring words (pending already says why there are none).
  if (data.words.length === 0 && !p) list.append(h('p', { class: 'muted' }, t.noWords));
  if (indexOf(anchorId) < 0 || indexOf(focusId) < 0) anchorId = focusId = null;
  paint();
}

/** Loads the transcript of the session's current timeline; while clips are being analysed, asks again. */
export async function refreshTranscript(next: string): Promise<void> {
  if (next !== sid) {
    anchorId = focusId = null;
    data = null;
    note('');
    $('transcript').replaceChildren();
  }
  sid = next;
  clearTimeout(pollTimer);
  const got = await api<Transcript>(base()).catch(() => null);
  if (sid !== next || !got) return;
  data = got;
  render();
  // Poll at the analysis estimate (within 2–10 s): the words appear without another edit.
  const p = got.pending.find((x) => x.status === 'analysing');
  if (p) pollTimer = setTimeout(() => void refreshTranscript(next), Math.min(10_000, Math.max(2000, p.estimated_ms)));
}

async function edit(path: string, init: { method: string; json: unknown }, done: string): Promise<void> {
  if (!sid || busy) return;
  busy = true;
  paint();
  const at = sid;
  try {
    const next = await api<Transcript>(`${base()}${path}`, init);
    // Another project opened meanwhile: its panel is not this answer's.
    if (sid !== at) return;
    data = next;
    render();
    note(done);
    await afterEdit();
  } catch (err) {
    if (err instanceof ApiError && err.code === 409) {
      // Someone (the chat, another tab) changed the draft: show what it is now, edit nothing blind.
      note(t.transcriptMoved);
      await refreshTranscript(at);
    } else note(err instanceof ApiError ? err.message : t.networkError);
  } finally {
    busy = false;
    if (sid === at) paint();
  }
}

/** Cuts the selected words still in the cut, or, when all of them are cut, brings them back. */
function cutOrRestore(): void {
  const words = selectedWords();
  if (!data || words.length === 0) return;
  const restore = words.every((w) => w.cut);
  const targets = restore ? words : words.filter((w) => !w.cut);
  const json = {
    from_id: targets[0]!.id,
    to_id: targets.at(-1)!.id,
    restore,
    base_version: data.draft_version,
  };
  const n = targets.length;
  void edit('/cut', { method: 'POST', json }, restore ? t.restoredWords(n) : t.cutDone(n));
}

function fixCaption(): void {
  const from = joinWords(selectedWords());
  const to = $<HTMLInputElement>('fix-text').value.trim();
  if (!from || !to || from === to) return;
  void edit('/corrections', { method: 'POST', json: { from, to } }, t.fixedCaption(from, to));
}

function select(i: number, extend: boolean): void {
  const w = data?.words[i];
  if (!w) return;
  focusId = w.id;
  if (!extend || !anchorId) anchorId = w.id;
  paint();
}

function onKey(e: KeyboardEvent): void {
  if (!data || data.words.length === 0) return;
  const f = indexOf(focusId);
  const last = data.words.length - 1;
  const to: Record<string, number> = {
    ArrowRight: f + 1,
    ArrowDown: f + 1,
    ArrowLeft: f < 0 ? 0 : f - 1,
    ArrowUp: f < 0 ? 0 : f - 1,
    Home: 0,
    End: last,
  };
  if (e.key in to) {
    e.preventDefault();
    select(Math.max(0, Math.min(last, to[e.key]!)), e.shiftKey);
  } else if (e.key === 'Enter' || e.key === 'Delete' || e.key === 'Backspace') {
    e.preventDefault();
    cutOrRestore();
  } else if (e.key === 'Escape') {
    anchorId = focusId = null;
    paint();
  }
}

/** Wires the panel once; `edited` runs after every successful edit (timeline, preview). */
export function initTranscript(edited: () => Promise<void>): void {
  afterEdit = edited;
  const list = $('transcript');
  list.addEventListener('click', (e) => {
    const el = (e.target as HTMLElement).closest<HTMLElement>('.word');
    if (!el) return;
    // A phone has no Shift: a tap after a single selected word extends the run to it, the next starts over.
    const single = anchorId !== null && anchorId === focusId && anchorId !== el.dataset.id;
    const touch = (e as PointerEvent).pointerType === 'touch';
    select([...list.children].indexOf(el), e.shiftKey || (touch && single));
    list.focus({ preventScroll: true });
  });
  // Shift-click would otherwise also select page text.
  list.addEventListener('mousedown', (e) => {
    if (e.shiftKey) e.preventDefault();
  });
  list.addEventListener('keydown', onKey);
  // Tabbing in starts at the first word; a click's focus leaves the choice to the click.
  list.addEventListener('focus', () => {
    if (!focusId && data?.words[0] && list.matches(':focus-visible')) select(0, false);
  });
  $('cut-words').addEventListener('click', cutOrRestore);
  $('fix-form').addEventListener('submit', (e) => {
    e.preventDefault();
    fixCaption();
  });
}

/** Redraws the panel's texts after a language switch. */
export function relabelTranscript(): void {
  render();
}
