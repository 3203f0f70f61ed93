/**
 * Turns the Agent Development Kit events of one `/run_sse` turn into what the user reads:
 * the assistant's text as it streams; tool calls and results only with --verbose.
 */
import type { EventSourceMessage } from 'eventsource-parser';

interface Part {
  text?: string;
  functionCall?: { id?: string; name?: string; args?: unknown };
  functionResponse?: { id?: string; name?: string; response?: unknown };
}

export interface AdkEvent {
  id?: string;
  author?: string;
  partial?: boolean;
  content?: { role?: string; parts?: Part[] };
  errorCode?: string | number;
  errorMessage?: string;
}

export interface TurnSink {
  /** A piece of the assistant's text, printed as it comes (no newline added). */
  text(chunk: string): void;
  /** One line about a tool call or result (verbose only). */
  tool(line: string): void;
  /** A transient progress line the agent streams ("Rendering… 40%"): replaced by the next one, not part of the reply. */
  status?(line: string): void;
}

/** Partial texts that are whole progress lines rather than pieces of the reply. */
const PROGRESS_LINE = /^[^\n]{1,80}\b\d{1,3}(\.\d+)?%\s*$/;

export interface TurnResult {
  text: string;
  error: { code: string | number; message: string } | null;
  toolCalls: { name: string; args: unknown }[];
  /** Renders the agent started during the turn (from `render` tool results). */
  renderIds: string[];
  events: number;
  heartbeats: number;
}

/** A short single-line rendering of a tool argument or result. */
export function brief(value: unknown, max = 160): string {
  let s: string;
  try {
    s = typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    s = String(value);
  }
  s = (s ?? '').replace(/\s+/g, ' ');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export class TurnPrinter {
  private readonly texts: string[] = [];
  /** Text streamed by partial events since the last complete event. */
  private partialText = '';
  private readonly result: TurnResult = {
    text: '',
    error: null,
    toolCalls: [],
    renderIds: [],
    events: 0,
    heartbeats: 0,
  };

  constructor(
    private readonly sink: TurnSink,
    private readonly verbose = false,
  ) {}

  onEvent = (message: EventSourceMessage): void => {
    if (message.event === 'heartbeat' || message.data.trim() === '') {
      this.result.heartbeats++;
      return;
    }
    let ev: AdkEvent;
    try {
      ev = JSON.parse(message.data) as AdkEvent;
    } catch {
      return; // not an event of this protocol: nothing to show
    }
    this.result.events++;
    if (ev.author === 'user') return;
    for (const part of ev.content?.parts ?? []) this.onPart(part, ev.partial === true);
    if (ev.errorCode !== undefined || ev.errorMessage !== undefined) {
      this.result.error = { code: ev.errorCode ?? 'error', message: ev.errorMessage ?? 'the turn failed' };
    }
  };

  private emit(text: string): void {
    if (!text) return;
    this.texts.push(text);
    this.sink.text(text);
  }

  private onPart(part: Part, partial: boolean): void {
    if (typeof part.text === 'string') {
      // A progress line is a status even after an intermediate text (the server marks every text
      // but a turn's last as partial, docs/api.md "Which event is final").
      if (partial && PROGRESS_LINE.test(part.text)) {
        this.sink.status?.(part.text.trim());
        return;
      }
      if (partial) {
        this.partialText += part.text;
        this.emit(part.text);
        return;
      }
      // The complete event after partial ones repeats the whole text: print only what is new.
      const streamed = this.partialText;
      this.partialText = '';
      if (streamed && part.text.startsWith(streamed)) this.emit(part.text.slice(streamed.length));
      else this.emit(this.needsBreak() ? `\n${part.text}` : part.text);
      return;
    }
    if (part.functionCall) {
      const name = part.functionCall.name ?? '?';
      this.result.toolCalls.push({ name, args: part.functionCall.args });
      if (this.verbose) this.sink.tool(`→ ${name}(${brief(part.functionCall.args ?? {})})`);
      return;
    }
    if (!part.functionResponse) return;
    const response = part.functionResponse.response as { render_id?: unknown } | undefined;
    if (part.functionResponse.name === 'render' && typeof response?.render_id === 'string')
      this.result.renderIds.push(response.render_id);
    if (this.verbose) {
      this.sink.tool(`← ${part.functionResponse.name ?? '?'}: ${brief(part.functionResponse.response ?? null)}`);
    }
  }

  /** Separate two complete text parts so they do not run together. */
  private needsBreak(): boolean {
    const last = this.texts.at(-1);
    return last !== undefined && !last.endsWith('\n');
  }

  finish(): TurnResult {
    return { ...this.result, text: this.texts.join('') };
  }
}
