/**
 * Audio: every sound (a video segment's own audio, a music or voice segment) becomes a 48 kHz
 * stereo stream placed at its timeline start; they are summed (not averaged), then the master
 * chain applies denoise, loudness normalisation and the draft's fades.
 */
import type { AudioTrack, Draft } from '../../../../src/draft/schema.ts';
import type { GraphBuilder } from '../graph-builder.ts';
import { sec } from '../graph-builder.ts';
import type { RenderInput } from '../inputs.ts';

export interface AudioContribution {
  /** Stream specifier, e.g. "3:a". */
  source: string;
  /** A mono source is copied to both channels. */
  mono: boolean;
  /** What the sound is: a clip's own sound (speech, usually) or a track of music/voice-over. */
  role: 'clip' | 'track';
  /** Lowered while clip sound plays (audio track m.duck). */
  duck?: boolean;
  startMs: number;
  durationMs: number;
  speed: number;
  volume: number;
  fadeInMs?: number;
  fadeOutMs?: number;
}

/** atempo accepts 0.5..2 (in 5.1); larger changes are chained. */
export function atempoChain(speed: number): string[] {
  const out: string[] = [];
  let rest = speed;
  while (rest > 2) {
    out.push('atempo=2');
    rest /= 2;
  }
  while (rest < 0.5) {
    out.push('atempo=0.5');
    rest /= 0.5;
  }
  if (Math.abs(rest - 1) > 1e-6) out.push(`atempo=${rest.toFixed(6)}`);
  return out;
}

export function audioTrackContributions(g: GraphBuilder, track: AudioTrack, inputs: Map<string, RenderInput>) {
  if (track.m.muted) return [];
  const audible = track.sg.filter((seg) => inputs.get(seg.src)?.hasAudio);
  return audible.map((seg): AudioContribution => {
    const input = inputs.get(seg.src)!;
    const speed = seg.m.speed ?? 1;
    const idx = g.addInput([
      // Loop the file as often as the segment needs (music beds shorter than the video).
      ...(seg.m.loop ? ['-stream_loop', '-1'] : []),
      ...(seg.in > 0 ? ['-ss', sec(seg.in)] : []),
      ...['-t', sec(seg.d * speed + 50)], // bound the read (and the endless loop)
      '-i',
      input.url,
    ]);
    return {
      source: `${idx}:a`,
      mono: input.audioChannels === 1,
      role: 'track',
      duck: track.m.duck === true,
      startMs: seg.s,
      durationMs: seg.d,
      speed,
      volume: (seg.m.volume ?? 1) * (track.m.volume ?? 1),
      fadeInMs: seg.m.fade_in,
      fadeOutMs: seg.m.fade_out,
    };
  });
}

function contributionChain(g: GraphBuilder, c: AudioContribution): string {
  const filters = [
    'asetpts=PTS-STARTPTS',
    // The default mono->stereo upmix lowers the centre by 3 dB; a mono recording belongs on both sides at full level.
    ...(c.mono ? ['pan=stereo|c0=c0|c1=c0'] : []),
    ...atempoChain(c.speed),
    'aresample=48000',
    'aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo',
    'apad', // a source shorter than its segment is padded with silence ...
    `atrim=duration=${sec(c.durationMs)}`, // ... and every segment lasts exactly its duration
  ];
  if (Math.abs(c.volume - 1) > 1e-6) filters.push(`volume=${c.volume.toFixed(4)}`);
  if (c.fadeInMs) filters.push(`afade=t=in:st=0:d=${sec(c.fadeInMs)}`);
  if (c.fadeOutMs) filters.push(`afade=t=out:st=${sec(Math.max(0, c.durationMs - c.fadeOutMs))}:d=${sec(c.fadeOutMs)}`);
  if (c.startMs > 0) filters.push(`adelay=delays=${Math.round(c.startMs)}:all=1`);
  return g.chain([c.source], filters, 'a');
}

/** Sums streams over a silent bed of the full length, so the result lasts the whole timeline. */
function sum(g: GraphBuilder, streams: string[], durationMs: number, prefix: string): string {
  const silence = g.label('sil');
  g.chains.push(`anullsrc=r=48000:cl=stereo,atrim=duration=${sec(durationMs)}[${silence}]`);
  if (streams.length === 0) return silence;
  // normalize=0: a sum, so a track at volume 0.35 stays at 0.35 (amix otherwise divides by the input count).
  return g.chain(
    [silence, ...streams],
    [`amix=inputs=${streams.length + 1}:duration=first:dropout_transition=0:normalize=0`],
    prefix,
  );
}

/** Mixes all contributions into one stereo 48 kHz stream of exactly `durationMs`. */
export function mixAudio(
  g: GraphBuilder,
  contributions: AudioContribution[],
  draft: Draft,
  durationMs: number,
): string {
  const ducked = contributions.filter((c) => c.duck);
  const clips = contributions.filter((c) => c.role === 'clip');
  let mixed: string;
  if (ducked.length > 0 && clips.length > 0) {
    // Ducking: the music bus is compressed by the clips' sound (speech) as a side chain,
    // about -9 dB while someone talks, back up within half a second of a pause.
    const voice = sum(
      g,
      clips.map((c) => contributionChain(g, c)),
      durationMs,
      'voice',
    );
    const [voiceOut, voiceKey] = [g.label('vo'), g.label('vk')];
    g.chains.push(`[${voice}]asplit=2[${voiceOut}][${voiceKey}]`);
    const music = sum(
      g,
      ducked.map((c) => contributionChain(g, c)),
      durationMs,
      'music',
    );
    const lowered = g.chain(
      [music, voiceKey],
      ['sidechaincompress=threshold=0.03:ratio=8:attack=20:release=400'],
      'duck',
    );
    const rest = contributions.filter((c) => !c.duck && c.role !== 'clip').map((c) => contributionChain(g, c));
    mixed = sum(g, [voiceOut, lowered, ...rest], durationMs, 'mix');
  } else {
    mixed = sum(
      g,
      contributions.map((c) => contributionChain(g, c)),
      durationMs,
      'mix',
    );
  }
  const master: string[] = [];
  if (draft.m?.denoise) master.push('afftdn=nf=-25');
  if (draft.m?.loudness_lufs !== undefined) {
    // Single-pass EBU R128 normalisation inside the same graph (no second decode);
    // loudnorm works at 192 kHz internally, so resample back.
    master.push(`loudnorm=I=${draft.m.loudness_lufs}:TP=-1.5:LRA=11`, 'aresample=48000');
  }
  if (draft.m?.fade_in) master.push(`afade=t=in:st=0:d=${sec(draft.m.fade_in)}`);
  if (draft.m?.fade_out) {
    master.push(`afade=t=out:st=${sec(Math.max(0, durationMs - draft.m.fade_out))}:d=${sec(draft.m.fade_out)}`);
  }
  master.push('aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo');
  return g.chain([mixed], master, 'aout');
}
