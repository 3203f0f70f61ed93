import { createParser } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { brief, TurnPrinter } from '../../../cli/turn-printer.ts';

/** Runs an SSE byte stream (split at awkward places) through the parser and the printer. */
function play(sse: string, verbose = false, chunkSize = 7) {
  const text: string[] = [];
  const tools: string[] = [];
  const printer = new TurnPrinter({ text: (t) => text.push(t), tool: (l) => tools.push(l) }, verbose);
  const parser = createParser({ onEvent: printer.onEvent });
  for (let i = 0; i < sse.length; i += chunkSize) parser.feed(sse.slice(i, i + chunkSize));
  return { text: text.join(''), tools, result: printer.finish() };
}

const ev = (obj: unknown) => `data: ${JSON.stringify(obj)}\n\n`;
const call = ev({
  id: 'e1',
  invocationId: 'i1',
  author: 'nemo_agent',
  timestamp: 1,
  content: { role: 'model', parts: [{ functionCall: { id: 'c1', name: 'trim_pauses', args: { min_pause_ms: 700 } } }] },
});
const resp = ev({
  id: 'e2',
  author: 'nemo_agent',
  content: {
    role: 'user',
    parts: [{ functionResponse: { id: 'c1', name: 'trim_pauses', response: { removed_ms: 3000 } } }],
  },
});
const summary = ev({
  id: 'e3',
  author: 'nemo_agent',
  content: { role: 'model', parts: [{ text: 'Removed 2 pauses (3.0s). Timeline (1 track): 1. Video: talk (0-7s)' }] },
});

describe('TurnPrinter', () => {
  it('prints the assistant text and hides tool events by default', () => {
    const { text, tools, result } = play(`${call}event: heartbeat\ndata:\n\n${resp}${summary}`);
    expect(text).toBe('Removed 2 pauses (3.0s). Timeline (1 track): 1. Video: talk (0-7s)');
    expect(tools).toEqual([]);
    expect(result.toolCalls).toEqual([{ name: 'trim_pauses', args: { min_pause_ms: 700 } }]);
    expect(result.heartbeats).toBe(1);
    expect(result.error).toBeNull();
  });

  it('shows tool calls and results with --verbose', () => {
    const { tools } = play(call + resp + summary, true);
    expect(tools).toEqual(['→ trim_pauses({"min_pause_ms":700})', '← trim_pauses: {"removed_ms":3000}']);
  });

  it('streams partial text once, without repeating it when the complete event follows', () => {
    const parts = ['Removed ', '2 pauses.'].map((t) =>
      ev({ author: 'a', partial: true, content: { role: 'model', parts: [{ text: t }] } }),
    );
    const final = ev({ author: 'a', content: { role: 'model', parts: [{ text: 'Removed 2 pauses.' }] } });
    expect(play(parts.join('') + final).text).toBe('Removed 2 pauses.');
  });

  it('routes progress-line partials to the status channel and collects renders the agent started', () => {
    const statuses: string[] = [];
    const text: string[] = [];
    const printer = new TurnPrinter({ text: (t) => text.push(t), tool: () => {}, status: (l) => statuses.push(l) });
    const parser = createParser({ onEvent: printer.onEvent });
    parser.feed(
      ev({
        author: 'a',
        content: {
          role: 'user',
          parts: [{ functionResponse: { id: 'c', name: 'render', response: { ok: true, render_id: 'render_9' } } }],
        },
      }) +
        ev({ author: 'a', partial: true, content: { role: 'model', parts: [{ text: 'Export started.' }] } }) +
        ev({ author: 'a', partial: true, content: { role: 'model', parts: [{ text: 'Rendering… 10%' }] } }) +
        ev({ author: 'a', partial: true, content: { role: 'model', parts: [{ text: 'Rendering… 60%' }] } }) +
        ev({ author: 'a', content: { role: 'model', parts: [{ text: 'Your video is ready.' }] } }),
    );
    expect(statuses).toEqual(['Rendering… 10%', 'Rendering… 60%']);
    expect(text.join('')).toBe('Export started.\nYour video is ready.');
    expect(printer.finish().renderIds).toEqual(['render_9']);
  });

  it('separates two complete text parts', () => {
    const a = ev({
      author: 'a',
      content: { role: 'model', parts: [{ text: 'Trimmed.' }, { text: 'Captions added.' }] },
    });
    expect(play(a).text).toBe('Trimmed.\nCaptions added.');
  });

  it('records an error event and keeps its text', () => {
    const err = ev({
      author: 'a',
      content: { role: 'model', parts: [{ text: 'No clip to edit yet.' }] },
      errorCode: 'NO_MEDIA',
      errorMessage: 'upload a clip first',
    });
    const { text, result } = play(err);
    expect(text).toBe('No clip to edit yet.');
    expect(result.error).toEqual({ code: 'NO_MEDIA', message: 'upload a clip first' });
  });

  it('ignores user echoes, comments and data that is not JSON', () => {
    const echo = ev({ author: 'user', content: { role: 'user', parts: [{ text: 'trim the pauses' }] } });
    expect(play(`: keep-alive\n\n${echo}data: not json\n\n${summary}`).text).toMatch(/^Removed 2 pauses/);
  });
});

describe('brief', () => {
  it('keeps tool lines on one short line', () => {
    expect(brief({ a: 'x\ny' })).toBe('{"a":"x\\ny"}');
    expect(brief('a'.repeat(300), 10)).toBe(`${'a'.repeat(9)}…`);
  });
});
