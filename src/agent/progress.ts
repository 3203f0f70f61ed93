/** Progress texts of long work inside a turn (superseded by the next, not sent to `streaming: false` clients). */
import { langOf } from '../draft/summary.ts';
import type { TurnDeps } from './deps.ts';
import { TEXT } from './messages.ts';
import type { EventSink } from './sse.ts';

/** "Analysing the speech in talk.mp4: 3 of 12 parts done": a long file is analysed in windows. */
export const analysisProgress =
  (sink: EventSink, deps: Pick<TurnDeps, 'language'>, name: string) =>
  (done: number, total: number): Promise<void> =>
    sink.text(TEXT[langOf(deps.language)].analysisProgress(name, done, total), { progress: true });
