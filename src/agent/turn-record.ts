/**
 * Retry-safe chat turns (docs/api.md, "Retried turns"). SSE client libraries reconnect by
 * default and mobile clients retry on a dropped connection; without this, every retry of "make
 * it 9:16" would plan and commit the edit again. A turn that carries a retry key is recorded in
 * the user's Durable Object (src/durable/turns.ts) as it runs; a retry with the same key within
 * the window gets the recorded events instead of a second run.
 *
 * A retry that arrives while the first attempt still runs gets the events recorded so far, then
 * follows the rest as they are recorded, until the turn's last event: both streams carry the
 * same events (same ids), and the edits happen once. If the first attempt stops being heard
 * from (its request died: no event or heartbeat for 30 s), the retry ends with a
 * TURN_INTERRUPTED error instead of running the turn again, because the first attempt may have
 * committed before it died.
 */

import { EventSink, HEARTBEAT_FRAME } from './sse.ts';
import { HEARTBEAT_MS } from './turn.ts';

/** What the recorder and the replay need of the user's Durable Object (a subset of UserClient). */
export interface TurnStore {
  appendTurn(args: { sessionId: string; key: string; frames: string[]; done: boolean }): Promise<void>;
  readTurn(
    sessionId: string,
    key: string,
    fromSeq: number,
  ): Promise<{ frames: string[]; next: number; done: boolean; stale: boolean }>;
}

export interface RetryKeySource {
  header?: string | null;
  invocationId?: string | null;
  messageId?: string | null;
}

/**
 * The key a turn is recorded under, or null for a turn that cannot be retried safely. The
 * Idempotency-Key header wins, then the ADK invocation id, then the message's own id; each is
 * prefixed so that values of different kinds never collide.
 */
export function retryKey(src: RetryKeySource): string | null {
  const pick = (v: string | null | undefined) => (v?.trim() ? v.trim() : null);
  const header = pick(src.header);
  if (header) return `key:${header}`;
  const invocation = pick(src.invocationId);
  if (invocation) return `inv:${invocation}`;
  const message = pick(src.messageId);
  return message ? `msg:${message}` : null;
}

/**
 * Records a running turn's frames in order (one append per event; heartbeats only refresh the
 * record). Recording problems are logged, never turned into turn failures: the client still
 * gets its answer, only a retry would not find it.
 */
export class TurnRecorder {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: TurnStore,
    private readonly sessionId: string,
    private readonly key: string,
  ) {}

  readonly tap = (frame: string): void => {
    this.enqueue(frame === HEARTBEAT_FRAME ? [] : [frame], false);
  };

  /** Marks the turn complete once every frame before it is stored. */
  finish(): Promise<void> {
    this.enqueue([], true);
    return this.chain;
  }

  private enqueue(frames: string[], done: boolean): void {
    this.chain = this.chain
      .then(() => this.store.appendTurn({ sessionId: this.sessionId, key: this.key, frames, done }))
      .catch((err: unknown) =>
        console.warn(JSON.stringify({ level: 'warn', msg: 'turn recording failed', error: String(err) })),
      );
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const INTERRUPTED = {
  en: 'The first attempt of this message stopped before it finished. Check the timeline, then send the message again with a new retry key if it is still needed.',
  zh: '这条消息的第一次处理在完成前中断了。请先查看时间线，如仍需要，请用新的重试键重新发送。',
};

/** The stream a retry gets: what was recorded, then what the running first attempt still records. */
export function replayStream(
  store: TurnStore,
  args: {
    sessionId: string;
    key: string;
    author: string;
    language: string;
    first: { invocationId: string; frames: string[]; next: number; done: boolean; stale: boolean };
    pollMs?: number;
    heartbeatMs?: number;
  },
): Response {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  const write = (frame: string) => writer.write(encoder.encode(frame));
  const pump = async () => {
    let { next, done, stale } = args.first;
    for (const frame of args.first.frames) await write(frame);
    let quietSince = Date.now();
    while (!done && !stale) {
      await sleep(args.pollMs ?? 250);
      const more = await store.readTurn(args.sessionId, args.key, next);
      for (const frame of more.frames) await write(frame);
      if (more.frames.length) quietSince = Date.now();
      else if (Date.now() - quietSince >= (args.heartbeatMs ?? HEARTBEAT_MS)) {
        await write(HEARTBEAT_FRAME);
        quietSince = Date.now();
      }
      ({ next, done, stale } = more);
    }
    if (!done) {
      const sink = new EventSink(write, args.author, true, args.first.invocationId);
      const message = INTERRUPTED[args.language.toLowerCase().startsWith('zh') ? 'zh' : 'en'];
      await sink.error('TURN_INTERRUPTED', message);
      await sink.text(message, { turnComplete: true });
    }
  };
  // A write fails only when this client went away: then there is nobody left to replay to.
  pump()
    .catch(() => {})
    .finally(() => writer.close().catch(() => {}));
  return new Response(readable, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      'x-turn-replay': 'true',
    },
  });
}
