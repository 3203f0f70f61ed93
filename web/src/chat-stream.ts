/**
 * One chat turn over `POST /run_sse`: the answer streams in as ADK events (parsed with
 * eventsource-parser), tool calls and results as they happen, partial progress texts replacing
 * each other, heartbeats showing the turn is alive, and errors as the service words them.
 */
import { createParser } from 'eventsource-parser';
import { ApiError, authFetch } from './api.ts';

interface Part {
  text?: string;
  functionCall?: { id: string; name: string; args: Record<string, unknown> };
  functionResponse?: { id: string; name: string; response: Record<string, unknown> };
}
interface AdkEvent {
  partial?: boolean;
  content?: { role: string; parts: Part[] };
  errorCode?: string;
  errorMessage?: string;
  turnComplete?: boolean;
}

export interface TurnHandlers {
  onToolCall(id: string, name: string): void;
  onToolResult(id: string, name: string, ok: boolean, text: string): void;
  /** A progress text (partial: replaced by the next one) or a final text part. */
  onText(text: string, partial: boolean): void;
  onError(code: string, message: string): void;
  onHeartbeat(): void;
}

export async function runTurn(sessionId: string, text: string, h: TurnHandlers, signal?: AbortSignal) {
  const res = await authFetch('/run_sse', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({
      app_name: 'nemo_agent',
      session_id: sessionId,
      new_message: { role: 'user', parts: [{ text }] },
    }),
    signal,
  });
  // Refusals come before the stream opens, as JSON envelopes.
  if (!res.ok || !res.headers.get('content-type')?.includes('text/event-stream')) {
    const body = (await res.json().catch(() => null)) as { code: number; message: string } | null;
    throw new ApiError(body?.code ?? res.status, body?.message ?? `HTTP ${res.status}`, null);
  }
  const parser = createParser({
    onEvent(e) {
      if (e.event === 'heartbeat') return h.onHeartbeat();
      if (!e.data) return;
      const ev = JSON.parse(e.data) as AdkEvent;
      for (const p of ev.content?.parts ?? []) {
        if (p.functionCall) h.onToolCall(p.functionCall.id, p.functionCall.name);
        else if (p.functionResponse) {
          const r = p.functionResponse.response;
          const ok = r.ok !== false && !r.error;
          const said = (r.change ?? r.error ?? r.message ?? '') as string;
          h.onToolResult(p.functionResponse.id, p.functionResponse.name, ok, String(said));
        } else if (typeof p.text === 'string' && p.text) h.onText(p.text, ev.partial === true);
      }
      if (ev.errorCode) h.onError(ev.errorCode, ev.errorMessage ?? '');
    },
  });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(value);
  }
}
