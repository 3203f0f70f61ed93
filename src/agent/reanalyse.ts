/**
 * "Transcribe it again": recognition biased toward the session's caption corrections (Whisper's
 * hotwords), so a name fixed once is heard right everywhere, then the captions are made again in
 * their style. A new analysis of its own (cached and, past the free length, paid like any).
 */

import { glossaryHotwords } from '../draft/ops/glossary.ts';
import { mainTrackSources } from '../draft/ops/timeline.ts';
import type { TextTrack } from '../draft/schema.ts';
import { TrackType } from '../draft/schema.ts';
import type { MediaRow, TurnDeps } from './deps.ts';
import type { DryRunState } from './dry-run.ts';
import type { Lang } from './messages.ts';
import type { PlanCall } from './planner/types.ts';
import { analysisProgress } from './progress.ts';
import type { EventSink } from './sse.ts';

export async function reanalyse(
  sink: EventSink,
  deps: TurnDeps,
  state: DryRunState,
  media: MediaRow[],
  lang: Lang,
  apply: (call: PlanCall) => Promise<void>,
): Promise<string> {
  const terms = [...new Set((state.working.m?.glossary ?? []).map((g) => g.to.trim()).filter(Boolean))];
  const hotwords = glossaryHotwords(state.working.m?.glossary);
  if (terms.length === 0)
    return lang === 'zh'
      ? '还没有字幕更正可以参考：先改正一个词（例如“名字是 Siobhan”），再让我重新识别。'
      : 'There are no caption corrections to listen for yet: correct a word first (for example "the name is spelled Siobhan"), then ask again.';
  for (const src of mainTrackSources(state.working)) {
    const row = media.find((m) => m.media_id === src);
    if (!row || row.kind === 'image' || row.has_audio === false) continue;
    const id = await sink.call('analyse_media', { media_id: row.media_id, name: row.name, hotwords });
    const { result, cached } = await deps.analyse(row, {
      hotwords,
      onProgress: analysisProgress(sink, deps, row.name),
    });
    state.analysis[src] = result;
    await sink.respond(id, 'analyse_media', { ok: true, media_id: row.media_id, words: result.words.length, cached });
  }
  const captions = state.working.t.find((t): t is TextTrack => t.tt === TrackType.text && t.m.kind === 'caption');
  if (captions) {
    const style = typeof captions.m.style === 'string' ? captions.m.style : undefined;
    await apply({
      name: 'add_captions',
      args: { ...(captions.m.language ? { language: captions.m.language } : {}), ...(style ? { style } : {}) },
    });
  }
  const list = terms.join(lang === 'zh' ? '、' : ', ');
  if (lang === 'zh') return `已重新识别，留意了：${list}${captions ? '；字幕已重新生成' : ''}。`;
  return `Listened again for ${list}${captions ? '; the captions were made again' : ''}.`;
}
