/**
 * Server-sent events in the event format of the Agent Development Kit's API server: each
 * event is `data: <json>` with id, invocationId, author, timestamp (seconds), content
 * {role, parts}, partial and actions. Tool calls are `functionCall` parts (role model), their
 * results `functionResponse` parts (role user) with the same id.
 */

export interface FunctionCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
}
export interface FunctionResponse {
  id: string;
  name: string;
  response: Record<string, unknown>;
}
export type Part = { text: string } | { functionCall: FunctionCall } | { functionResponse: FunctionResponse };

export interface AdkEvent {
  id: string;
  invocationId: string;
  author: string;
  timestamp: number;
  content?: { role: 'model' | 'user'; parts: Part[] };
  partial: boolean;
  actions: {
    stateDelta: Record<string, unknown>;
    artifactDelta: Record<string, unknown>;
    requestedAuthConfigs: Record<string, unknown>;
  };
  errorCode?: string;
  errorMessage?: string;
  turnComplete?: boolean;
}

export const HEARTBEAT_FRAME = 'event: heartbeat\ndata: \n\n';

export function encodeEvent(event: AdkEvent): string {
  return `data: ${JSON.stringify(event)}\n\n`;
}

const shortId = () => crypto.randomUUID().replace(/-/g, '').slice(0, 16);

/**
 * Writes events to a stream. A write that fails (the client went away) marks the sink closed
 * and is otherwise ignored: the turn still finishes and commits, the client just stops hearing.
 */
export class EventSink {
  private open = true;
  private heartbeat: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly write: (frame: string) => Promise<void>,
    readonly author: string,
    /** false for a client that asked `streaming: false`: as in ADK, no progress texts, only what lasts. */
    private readonly partials = true,
    /** The client's ADK invocation id when it sent one, so its events carry it. */
    readonly invocationId = `e-${crypto.randomUUID()}`,
    /** Sees every frame, also after the client left: a recorded turn must hold all of them. */
    private readonly tap?: (frame: string) => void,
  ) {}

  get connected(): boolean {
    return this.open;
  }

  private async send(frame: string): Promise<void> {
    this.tap?.(frame);
    if (!this.open) return;
    try {
      await this.write(frame);
    } catch {
      this.open = false;
    }
  }

  private base(extra: Partial<AdkEvent> = {}): AdkEvent {
    return {
      id: shortId(),
      invocationId: this.invocationId,
      author: this.author,
      timestamp: Date.now() / 1000,
      partial: false,
      actions: { stateDelta: {}, artifactDelta: {}, requestedAuthConfigs: {} },
      ...extra,
    };
  }

  /**
   * A text part. `progress` texts (render percentages) are superseded by the next and are not
   * sent to a client that asked `streaming: false`. Every text but the turn's last is sent with
   * `partial: true`, so that ADK's `Event.is_final_response()` (false for partial events) holds
   * for the last text only (docs/api.md, "Which event is final").
   */
  text(text: string, opts: { progress?: boolean; stateDelta?: Record<string, unknown>; turnComplete?: boolean } = {}) {
    if (opts.progress && !this.partials) return Promise.resolve();
    const event = this.base({ content: { role: 'model', parts: [{ text }] }, partial: !opts.turnComplete });
    if (opts.stateDelta) event.actions.stateDelta = opts.stateDelta;
    if (opts.turnComplete) event.turnComplete = true;
    return this.send(encodeEvent(event));
  }

  /** Emits a functionCall part; returns its id for the matching response. */
  async call(name: string, args: Record<string, unknown>): Promise<string> {
    const id = `adk-${crypto.randomUUID()}`;
    await this.send(
      encodeEvent(this.base({ content: { role: 'model', parts: [{ functionCall: { id, name, args } }] } })),
    );
    return id;
  }

  respond(id: string, name: string, response: Record<string, unknown>) {
    return this.send(
      encodeEvent(this.base({ content: { role: 'user', parts: [{ functionResponse: { id, name, response } }] } })),
    );
  }

  /** The error event of a failed turn; partial, because the turn's closing text follows it. */
  error(code: string, message: string) {
    return this.send(encodeEvent(this.base({ errorCode: code, errorMessage: message, partial: true })));
  }

  /** Heartbeats every `intervalMs` until stopped (docs/api.md: every 10 s while work runs). */
  startHeartbeat(intervalMs: number): void {
    this.stopHeartbeat();
    this.heartbeat = setInterval(() => void this.send(HEARTBEAT_FRAME), intervalMs);
  }

  stopHeartbeat(): void {
    if (this.heartbeat !== undefined) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}

/** A text/event-stream response and the sink that feeds it. */
export function sseStream(
  author: string,
  opts: { partials?: boolean; invocationId?: string; tap?: (frame: string) => void } = {},
): { sink: EventSink; response: Response; close: () => Promise<void> } {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  const write = (frame: string) => writer.write(encoder.encode(frame));
  const sink = new EventSink(write, author, opts.partials ?? true, opts.invocationId, opts.tap);
  const response = new Response(readable, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    },
  });
  return {
    sink,
    response,
    close: async () => {
      sink.stopHeartbeat();
      await writer.close().catch(() => {});
    },
  };
}
