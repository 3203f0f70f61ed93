/** The chat log: the user's words, then the agent's answer building up as the turn streams. */
import { ApiError, api } from './api.ts';
import { runTurn } from './chat-stream.ts';
import { $, h } from './dom.ts';
import { t } from './i18n.ts';

let busy = false;
export const chatBusy = () => busy;

function scroll(): void {
  const log = $('chat-log');
  log.scrollTop = log.scrollHeight;
}

/** A text part of an answer, its links (download, share page, registration) clickable. */
function textPart(text: string): HTMLElement {
  const el = h('span', { class: 'text' });
  for (const [i, piece] of text.split(/(https?:\/\/[^\s<>"]+)/).entries()) {
    el.append(i % 2 ? h('a', { href: piece, target: '_blank', rel: 'noopener' }, piece) : piece);
  }
  return el;
}

/** The project's earlier conversation (the final texts; tool steps are not kept), newest at the bottom. */
export async function loadHistory(sid: string): Promise<void> {
  const { messages } = await api<{ messages: { role: string; text: string }[] }>(
    `/api/sessions/${encodeURIComponent(sid)}/chat`,
  );
  $('chat-log').replaceChildren(
    ...messages.map((m) =>
      m.role === 'user' ? h('li', { class: 'msg user' }, m.text) : h('li', { class: 'msg agent' }, textPart(m.text)),
    ),
  );
  scroll();
}

/** Sends one message; `after` runs when the turn ends (however it ends) to refresh the timeline. */
export async function send(sid: string, text: string, after: () => Promise<void>): Promise<void> {
  if (busy || !text.trim()) return;
  busy = true;
  const sendButton = $<HTMLButtonElement>('send');
  const undo = $<HTMLButtonElement>('undo');
  const redo = $<HTMLButtonElement>('redo');
  for (const b of [sendButton, undo, redo]) b.disabled = true;
  const log = $('chat-log');
  log.append(h('li', { class: 'msg user' }, text));
  const answer = h('li', { class: 'msg agent', 'aria-busy': 'true' });
  const progress = h('span', { class: 'tool' }, t.working);
  answer.append(progress);
  log.append(answer);
  scroll();
  const tools = new Map<string, HTMLElement>();
  const started = Date.now();
  try {
    await runTurn(sid, text, {
      onToolCall(id, name) {
        const line = h('span', { class: 'tool' }, `${name}…`);
        tools.set(id, line);
        answer.insertBefore(line, progress);
        scroll();
      },
      onToolResult(id, name, ok, said) {
        const line = tools.get(id) ?? h('span', { class: 'tool' });
        line.className = `tool ${ok ? 'ok' : 'fail'}`;
        line.textContent = said ? `${name}: ${said}` : name;
        if (!line.isConnected) answer.insertBefore(line, progress);
      },
      onText(text, partial) {
        if (partial) {
          progress.textContent = text;
          return;
        }
        answer.insertBefore(textPart(text), progress);
        scroll();
      },
      onError(_code, message) {
        answer.classList.add('error');
        if (message) answer.insertBefore(textPart(message), progress);
      },
      onHeartbeat() {
        progress.textContent = t.stillWorking(Math.round((Date.now() - started) / 1000));
      },
    });
  } catch (err) {
    answer.classList.add('error');
    answer.append(textPart(err instanceof ApiError ? err.message : t.networkError));
  } finally {
    progress.remove();
    answer.removeAttribute('aria-busy');
    busy = false;
    for (const b of [sendButton, undo, redo]) b.disabled = false;
    scroll();
    await after();
  }
}
