/** SRT and WebVTT text for caption events. */
import { type CaptionEvent, eventText } from './caption-events.ts';

function stamp(ms: number, sep: ',' | '.'): string {
  const t = Math.max(0, Math.round(ms));
  const h = Math.floor(t / 3_600_000);
  const m = Math.floor((t % 3_600_000) / 60_000);
  const s = Math.floor((t % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}${sep}${pad(t % 1000, 3)}`;
}

export function toSrt(events: CaptionEvent[]): string {
  return events.map((ev, i) => `${i + 1}\n${stamp(ev.s, ',')} --> ${stamp(ev.e, ',')}\n${eventText(ev)}\n`).join('\n');
}

export function toVtt(events: CaptionEvent[]): string {
  const cues = events.map((ev) => `${stamp(ev.s, '.')} --> ${stamp(ev.e, '.')}\n${eventText(ev)}\n`);
  return `WEBVTT\n\n${cues.join('\n')}`;
}
