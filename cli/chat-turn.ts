/** One chat turn: POST /run_sse and feed the event stream to a TurnPrinter. */
import { createParser } from 'eventsource-parser';
import { type Api, decodeEnvelope } from './api-client.ts';
import { NetworkError } from './errors.ts';
import { TurnPrinter, type TurnResult, type TurnSink } from './turn-printer.ts';

export interface TurnOptions {
  verbose?: boolean;
  signal?: AbortSignal;
}

export async function runTurn(
  api: Api,
  sessionId: string,
  text: string,
  sink: TurnSink,
  opts: TurnOptions = {},
): Promise<TurnResult> {
  const printer = new TurnPrinter(sink, opts.verbose);
  const res = await api.withAuth(async (token) => {
    const r = await api.fetch('/run_sse', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({
        app_name: 'nemo_agent',
        session_id: sessionId,
        new_message: { role: 'user', parts: [{ text }] },
        streaming: true,
      }),
      signal: opts.signal,
    });
    // Errors before the stream starts (auth, session, credits) come as a plain envelope.
    if (!(r.headers.get('content-type') ?? '').includes('text/event-stream')) {
      await decodeEnvelope(r);
      return null;
    }
    return r;
  });
  if (!res?.body) return printer.finish();
  const parser = createParser({ onEvent: printer.onEvent });
  const decoder = new TextDecoder();
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>)
      parser.feed(decoder.decode(chunk, { stream: true }));
    parser.feed(decoder.decode());
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new NetworkError(api.baseUrl, err);
  }
  return printer.finish();
}
