import { TrackType } from '../../src/draft/track-type.ts';
/**
 * The draft as tracks and segments: one lane per track, each segment placed by its start and
 * length on the draft's duration. Redrawn from the session state after every turn.
 */
import type { Draft, MediaInfo } from './api.ts';
import { h, seconds } from './dom.ts';
import { t } from './i18n.ts';

const CLASS = { [TrackType.video]: 'v', [TrackType.audio]: 'a', [TrackType.text]: 't' } as const;

export function renderTimeline(el: HTMLElement, draft: Draft, media: MediaInfo[]): void {
  el.replaceChildren();
  const tracks = draft.t.filter((tr) => tr.sg.length > 0);
  if (tracks.length === 0 || draft.d <= 0) {
    el.append(h('p', { class: 'muted' }, t.emptyTimeline));
    return;
  }
  const names = new Map(media.map((m) => [m.media_id, m.name]));
  const pct = (ms: number) => `${Math.min(100, (ms / draft.d) * 100).toFixed(3)}%`;
  for (const tr of tracks) {
    const kind = tr.m.kind === 'caption' ? t.captions : (tr.m.name ?? t.track[tr.tt] ?? '');
    const lane = h('div', { class: 'lane', role: 'list', 'aria-label': kind });
    for (const sg of tr.sg) {
      const label = sg.text ?? (sg.src ? (names.get(sg.src) ?? sg.src) : '');
      const title = `${label} (${seconds(sg.s)} – ${seconds(sg.s + sg.d)})`;
      const seg = h('div', { class: `seg ${CLASS[tr.tt]}`, role: 'listitem', title, 'aria-label': title }, label);
      seg.style.left = pct(sg.s);
      seg.style.width = pct(sg.d);
      lane.append(seg);
    }
    el.append(
      h('div', { class: 'track', 'data-track': String(tr.tt) }, h('span', { class: 'track-name' }, kind), lane),
    );
  }
  el.append(h('div', { class: 'axis', 'aria-hidden': 'true' }, h('span', {}, '0'), h('span', {}, seconds(draft.d))));
}
