/** A one-line timeline summary of a draft, in the contract's wording ("Timeline (3 tracks): 1. Video: …"). */

// The wire format's track numbers (a constant of the contract, not service code).
import { TrackType } from '../src/draft/track-type.ts';

interface Segment {
  s?: number;
  d?: number;
  text?: string;
}
interface Track {
  tt?: number;
  m?: { name?: string; kind?: string; volume?: number };
  sg?: Segment[];
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10}s`.replace('.0s', 's');

function span(sg: Segment[]): string {
  if (sg.length === 0) return 'empty';
  const start = Math.min(...sg.map((x) => x.s ?? 0));
  const end = Math.max(...sg.map((x) => (x.s ?? 0) + (x.d ?? 0)));
  return `${seconds(start)}-${seconds(end)}`;
}

function describe(track: Track): string {
  const sg = track.sg ?? [];
  const name = track.m?.name;
  if (track.tt === TrackType.text) {
    if (track.m?.kind === 'caption') return `Captions: ${sg.length} cues (${span(sg)})`;
    const first = sg[0]?.text;
    return `${name ?? 'Text'}: ${first ? `"${first}"` : `${sg.length} items`} (${span(sg)})`;
  }
  if (track.tt === TrackType.audio) {
    const vol = track.m?.volume;
    return `Audio: ${name ?? 'audio'} (${span(sg)}${vol !== undefined ? `, ${Math.round(vol * 100)}%` : ''})`;
  }
  return `Video: ${name ?? `${sg.length} clips`} (${span(sg)}${sg.length > 1 ? `, ${sg.length} segments` : ''})`;
}

export function summarizeDraft(draft: unknown): string {
  const d = draft as { t?: Track[]; d?: number; w?: number; h?: number } | null;
  const tracks = d?.t ?? [];
  if (tracks.length === 0) return 'Timeline: empty';
  const head = `Timeline (${tracks.length} track${tracks.length === 1 ? '' : 's'}${d?.d ? `, ${seconds(d.d)}` : ''}${d?.w && d?.h ? `, ${d.w}x${d.h}` : ''})`;
  return `${head}: ${tracks.map((t, i) => `${i + 1}. ${describe(t)}`).join(' ')}`;
}
