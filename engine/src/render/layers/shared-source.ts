/**
 * Many segments of one source on the bottom track, cut from one decode per forward run
 * (src/draft/decode-runs.ts) instead of one input per segment: 280 cuts of one clip used to open
 * 280 decoders and peak ffmpeg at 6 GB.
 *
 * Why this stays bounded: the run's stream is `split` once per segment, and each branch is just
 * a `trim` that drops everything outside its own range, so a branch holds no frame until the
 * decoder reaches its range, and none after it (filters that buffer, `fps` and `tpad`, are
 * before the split, once per run). The run's segments are forward in the source and in timeline order,
 * and the bottom track's `concat` (and this run's audio `concat`) reads them in that order, so by
 * the time the decoder reaches a segment, `concat` has finished the ones before it: at most the
 * slack of one segment waits in a queue. The audio is one stream per run (silence between its
 * segments) for the same reason, rather than one `amix` input per segment, which would make
 * `amix` wait for the last segment while video frames pile up.
 */
import { forwardRuns, SHARED_DECODE_MIN } from '../../../../src/draft/decode-runs.ts';
import type { VisualSegment } from '../../../../src/draft/schema.ts';
import { gridFrames } from '../../../../src/draft/slice-draft.ts';
import type { GraphBuilder } from '../graph-builder.ts';
import { sec, seekSec } from '../graph-builder.ts';
import type { RenderInput } from '../inputs.ts';
import { type AudioContribution, atempoChain } from './audio.ts';
import { type Frame, fitFilters, visualFades } from './visual.ts';

/** Source kept around each cut (more than a frame), so its first and last frames are real ones. */
export const CUT_SLACK_MS = 100;
/** A run reaching this close to the source's end (or whose length is unknown) gets its last frame held. */
const END_MARGIN_MS = 1000;

export interface Cut {
  /** In-point relative to the run's start, in source time, ms. */
  startMs: number;
  /** Source time the segment consumes (duration × speed), ms. */
  spanMs: number;
  durationMs: number;
  speed: number;
}

/**
 * `between(t,a,b)+…` over the cuts (overlapping ranges merged): `select` drops frames no segment
 * keeps before they are scaled. The sum is a balanced tree because ffmpeg refuses an expression
 * nested more than 100 deep, which a flat sum of 100 terms already is.
 */
export function keepExpression(cuts: Cut[], slackMs = CUT_SLACK_MS): string {
  const ranges = cuts
    .map((c) => [Math.max(0, c.startMs - slackMs), c.startMs + c.spanMs + slackMs] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([...r]);
  }
  const terms = merged.map(([a, b]) => `between(t,${sec(a)},${sec(b)})`);
  const tree = (from: number, to: number): string => {
    if (to - from === 1) return terms[from]!;
    const mid = (from + to) >> 1;
    return `(${tree(from, mid)}+${tree(mid, to)})`;
  };
  return tree(0, terms.length);
}

/**
 * The run's stream, after selecting what the cuts keep: retimed by the run's speed, scaled once,
 * at the output rate (`fps` duplicates across the dropped stretches are references, not copies),
 * and past the source's end (when a cut reaches it) its last frame held by one `tpad`.
 */
export function runPrelude(cuts: Cut[], fitAndFormat: string[], fps: number, padMs: number): string[] {
  const speed = cuts[0]!.speed;
  return [
    // At a low output rate a frame lasts longer than the slack: keep at least one frame around each cut.
    `select='${keepExpression(cuts, Math.max(CUT_SLACK_MS, (1000 / fps) * speed))}'`,
    speed === 1 ? 'setpts=PTS-STARTPTS' : `setpts=(PTS-STARTPTS)/${speed}`,
    ...fitAndFormat,
    // Here, once, not per branch: an `fps` whose output closes first keeps its two frames for the
    // whole render, which made memory grow by two frames per segment.
    `fps=${fps}`,
    ...(padMs > 0 ? [`tpad=stop_mode=clone:stop_duration=${sec(padMs)}`] : []),
  ];
}

// The frame grid lives with the draft's chunking (one definition for whole and chunked renders).
export { gridFrames };

/**
 * One segment's video out of the run's stream: the frames from its in-point (a frame more is
 * there as slack), exactly `frames` of them, from 0. Only trims: nothing here keeps a frame.
 */
export function videoCutFilters(cut: Cut, fps: number, frames: number, fades: string[]): string[] {
  const start = cut.startMs / cut.speed;
  const end = start + cut.durationMs + 1000 / fps;
  return [`trim=start=${sec(start)}:end=${sec(end)}`, `trim=end_frame=${frames}`, 'setpts=PTS-STARTPTS', ...fades];
}

/** One segment's sound out of the run's 48 kHz stereo stream, exactly `durationMs` long. */
export function audioCutFilters(
  cut: Cut,
  volume: number,
  fadeInMs: number | undefined,
  fadeOutMs: number | undefined,
): string[] {
  const out = [
    `atrim=start=${sec(cut.startMs)}:end=${sec(cut.startMs + cut.spanMs)}`,
    'asetpts=PTS-STARTPTS',
    ...atempoChain(cut.speed),
    'apad', // a source shorter than its segment is padded with silence
    `atrim=duration=${sec(cut.durationMs)}`,
  ];
  if (Math.abs(volume - 1) > 1e-6) out.push(`volume=${volume.toFixed(4)}`);
  if (fadeInMs) out.push(`afade=t=in:st=0:d=${sec(fadeInMs)}`);
  if (fadeOutMs) {
    out.push(`afade=t=out:st=${sec(Math.max(0, cut.durationMs - fadeOutMs))}:d=${sec(fadeOutMs)}`);
  }
  return out;
}

/** Frames [first, first + count) of a looped still: each use of an image takes the next ones. */
export function imageCutFilters(firstFrame: number, count: number, fades: string[]): string[] {
  return [`trim=start_frame=${firstFrame}:end_frame=${firstFrame + count}`, 'setpts=PTS-STARTPTS', ...fades];
}

/** `[in]filters,split=n[o1]…[on]` with fresh labels. */
function splitInto(g: GraphBuilder, input: string, filters: string[], n: number, audio: boolean): string[] {
  const outs = Array.from({ length: n }, () => g.label(audio ? 'as' : 'vs'));
  const split = audio ? `asplit=${n}` : `split=${n}`;
  g.chains.push(`[${input}]${[...filters, split].join(',')}${outs.map((l) => `[${l}]`).join('')}`);
  return outs;
}

export interface SharedCuts {
  /** Video label of each segment that is cut from a shared decode ('' when no picture is built). */
  video: Map<VisualSegment, string>;
  /** One sound per run (silence between its segments), placed at 0 on the timeline. */
  audio: AudioContribution[];
}

/**
 * Plans the shared decodes for the bottom track's segments (sequenced: in timeline order, not
 * overlapping). Sources with fewer than SHARED_DECODE_MIN segments are left to per-segment inputs.
 */
export function sharedSourceCuts(
  g: GraphBuilder,
  segs: VisualSegment[],
  inputs: Map<string, RenderInput>,
  frame: Frame,
  sound: { on: boolean; trackVolume: number },
  /** false for the audio part of a chunked render: the cuts' sound only, no picture filters. */
  video = true,
): SharedCuts {
  const result: SharedCuts = { video: new Map(), audio: [] };
  const groups = new Map<string, VisualSegment[]>();
  for (const seg of segs) {
    const key = `${seg.src}\u0000${seg.m.fit ?? 'cover'}\u0000${seg.m.speed ?? 1}`;
    groups.set(key, [...(groups.get(key) ?? []), seg]);
  }
  for (const group of groups.values()) {
    if (group.length < SHARED_DECODE_MIN) continue;
    const input = inputs.get(group[0]!.src)!;
    if (input.kind === 'image') {
      if (video) imageRun(g, group, input, frame, result);
      else for (const seg of group) result.video.set(seg, '');
      continue;
    }
    const uses = group.map((seg) => ({ in: seg.in, span: seg.d * (seg.m.speed ?? 1) }));
    for (const run of forwardRuns(uses))
      videoRun(
        g,
        run.map((i) => group[i]!),
        input,
        frame,
        sound,
        result,
        video,
      );
  }
  return result;
}

function videoRun(
  g: GraphBuilder,
  run: VisualSegment[],
  input: RenderInput,
  frame: Frame,
  sound: { on: boolean; trackVolume: number },
  result: SharedCuts,
  video: boolean,
) {
  const runStart = Math.min(...run.map((s) => s.in));
  const cuts: Cut[] = run.map((seg) => {
    const speed = seg.m.speed ?? 1;
    return { startMs: seg.in - runStart, spanMs: seg.d * speed, durationMs: seg.d, speed };
  });
  const runEnd = Math.max(...cuts.map((c) => c.startMs + c.spanMs)) + Math.max(CUT_SLACK_MS, 1000 / frame.fps);
  // Input seeking to the run's first frame; one sequential read to its last.
  const idx = g.addInput([...(runStart > 0 ? ['-ss', seekSec(runStart)] : []), '-t', sec(runEnd), '-i', input.url]);
  const nearEnd = input.durationMs === null || runStart + runEnd + END_MARGIN_MS > input.durationMs;
  const padMs = nearEnd ? Math.max(...cuts.map((c) => c.durationMs)) : 0;
  if (video) {
    const fit = [...fitFilters(run[0]!.m.fit, frame), 'setsar=1', 'format=yuv420p'];
    const branches = splitInto(g, `${idx}:v`, runPrelude(cuts, fit, frame.fps, padMs), run.length, false);
    run.forEach((seg, i) => {
      const frames = gridFrames(seg.s, seg.d, frame.fps);
      const filters = videoCutFilters(cuts[i]!, frame.fps, frames, visualFades(seg, false, frame.fps));
      result.video.set(seg, g.chain([branches[i]!], filters, 'cut'));
    });
  } else for (const seg of run) result.video.set(seg, '');
  if (!input.hasAudio || !sound.on) return;
  const format = 'aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo';
  // A mono recording belongs on both sides at full level (the default upmix lowers it 3 dB).
  const mono = input.audioChannels === 1 ? ['pan=stereo|c0=c0|c1=c0'] : [];
  const aBranches = splitInto(g, `${idx}:a`, [...mono, 'aresample=48000', format], run.length, true);
  const parts: string[] = [];
  let cursor = 0;
  run.forEach((seg, i) => {
    if (seg.s - cursor >= 1) parts.push(silence(g, seg.s - cursor));
    const volume = (seg.m.volume ?? 1) * sound.trackVolume;
    parts.push(g.chain([aBranches[i]!], audioCutFilters(cuts[i]!, volume, seg.m.fade_in, seg.m.fade_out), 'acut'));
    cursor = seg.s + seg.d;
  });
  const joined = g.chain(parts, [`concat=n=${parts.length}:v=0:a=1`, format], 'arun');
  result.audio.push({
    source: joined,
    mono: false,
    role: 'clip',
    startMs: 0,
    durationMs: cursor,
    speed: 1,
    volume: 1,
  });
}

/** A still used many times: scaled once, looped for all uses together, each use taking its frames. */
function imageRun(g: GraphBuilder, run: VisualSegment[], input: RenderInput, frame: Frame, result: SharedCuts) {
  const counts = run.map((seg) => gridFrames(seg.s, seg.d, frame.fps));
  const total = counts.reduce((a, b) => a + b, 0);
  const idx = g.addInput(['-i', input.url]);
  const prelude = [
    ...fitFilters(run[0]!.m.fit, frame),
    'setsar=1',
    'format=yuv420p',
    `loop=loop=${total - 1}:size=1:start=0`,
    `setpts=N/(${frame.fps}*TB)`,
  ];
  const branches = splitInto(g, `${idx}:v`, prelude, run.length, false);
  let first = 0;
  run.forEach((seg, i) => {
    const filters = imageCutFilters(first, counts[i]!, visualFades(seg, false, frame.fps));
    result.video.set(seg, g.chain([branches[i]!], filters, 'cut'));
    first += counts[i]!;
  });
}

function silence(g: GraphBuilder, durationMs: number): string {
  const label = g.label('asil');
  g.chains.push(
    `anullsrc=r=48000:cl=stereo,atrim=duration=${sec(durationMs)},aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo[${label}]`,
  );
  return label;
}
