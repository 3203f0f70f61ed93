/** The shared-decode planner and its filter strings, checked as strings (no ffmpeg). */
import { describe, expect, it } from 'vitest';
import { decodesPerSource, forwardRuns, SHARED_DECODE_MIN } from '../../src/draft/decode-runs.ts';
import { buildRender } from '../src/render/build-render.ts';
import type { RenderInput } from '../src/render/inputs.ts';
import {
  audioCutFilters,
  gridFrames,
  imageCutFilters,
  keepExpression,
  runPrelude,
  videoCutFilters,
} from '../src/render/layers/shared-source.ts';

const cut = { startMs: 1500, spanMs: 400, durationMs: 200, speed: 2 };

describe('filter strings of one cut', () => {
  it('video: the run is selected, retimed, scaled and put on the output grid once; a cut is a trim', () => {
    expect(runPrelude([cut], ['scale=320:240'], 30, 0).join(',')).toBe(
      "select='between(t,1.400,2.000)',setpts=(PTS-STARTPTS)/2,scale=320:240,fps=30",
    );
    // At 5 fps a frame (0.4 s of source at speed 2) is longer than the 100 ms slack: the slack grows.
    expect(runPrelude([cut], [], 5, 0)[0]).toBe("select='between(t,1.100,2.300)'");
    expect(runPrelude([{ ...cut, speed: 1 }], [], 25, 200)).toEqual([
      "select='between(t,1.400,2.000)'",
      'setpts=PTS-STARTPTS',
      'fps=25',
      'tpad=stop_mode=clone:stop_duration=0.200',
    ]);
    // 1.5 s into the source at speed 2 is 0.75 s into the retimed run; a frame of slack, then 5 frames.
    expect(videoCutFilters(cut, 25, 5, ['fade=t=in:st=0:d=0.100']).join(',')).toBe(
      'trim=start=0.750:end=0.990,trim=end_frame=5,setpts=PTS-STARTPTS,fade=t=in:st=0:d=0.100',
    );
    // Nothing that buffers frames is left in a branch (one per segment).
    expect(videoCutFilters(cut, 25, 5, []).join(',')).not.toMatch(/fps|tpad|loop/);
  });

  it('frames per cut follow the timeline grid: 100 ms cuts at 25 fps alternate 3 and 2, summing exactly', () => {
    const counts = Array.from({ length: 400 }, (_, k) => gridFrames(k * 100, 100, 25));
    expect(counts.slice(0, 4)).toEqual([3, 2, 3, 2]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1000); // 40 s at 25 fps
    expect(gridFrames(0, 1, 30)).toBe(1); // a sub-frame cut still shows a frame
  });

  it('audio: exact source range, tempo, padded to the duration, volume and fades', () => {
    expect(audioCutFilters(cut, 0.5, 50, 80).join(',')).toBe(
      'atrim=start=1.500:end=1.900,asetpts=PTS-STARTPTS,atempo=2.000000,apad,atrim=duration=0.200,' +
        'volume=0.5000,afade=t=in:st=0:d=0.050,afade=t=out:st=0.120:d=0.080',
    );
    expect(audioCutFilters({ ...cut, speed: 1 }, 1, undefined, undefined)).not.toContain('volume=1.0000');
  });

  it('select keeps each cut with its slack, never before 0; overlaps merged; a balanced sum', () => {
    const at = (startMs: number) => ({ ...cut, startMs });
    expect(keepExpression([at(50), at(1500)])).toBe('(between(t,0.000,0.550)+between(t,1.400,2.000))');
    expect(keepExpression([at(0), at(300)])).toBe('between(t,0.000,0.800)');
    const many = keepExpression(Array.from({ length: 1000 }, (_, i) => at(i * 1000)));
    expect(many.match(/between/g)).toHaveLength(1000);
    let depth = 0;
    let deepest = 0;
    for (const ch of many) {
      depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
      deepest = Math.max(deepest, depth);
    }
    expect(deepest).toBeLessThanOrEqual(12); // log2(1000) + the call's own parentheses
  });

  it('image: consecutive frame ranges of the looped still', () => {
    expect(imageCutFilters(12, 5, []).join(',')).toBe('trim=start_frame=12:end_frame=17,setpts=PTS-STARTPTS');
  });
});

describe('forward runs', () => {
  it('cuts in source order are one run; a jump back or a repeat starts another', () => {
    const forward = Array.from({ length: 20 }, (_, i) => ({ in: i * 150, span: 100 }));
    expect(forwardRuns(forward)).toEqual([forward.map((_, i) => i)]);
    expect(forwardRuns([...forward].reverse())).toHaveLength(20);
    // A B A' B' (cutting between two parts of a source): two decodes, not four.
    const ab = [
      { in: 0, span: 10 },
      { in: 1000, span: 10 },
      { in: 20, span: 10 },
      { in: 1020, span: 10 },
    ];
    expect(forwardRuns(ab)).toEqual([[0, 1, 3], [2]]);
  });

  it('decodes per source: few segments one each, many shared, other tracks one each', () => {
    const sg = (n: number, src: string, step = 150) =>
      Array.from({ length: n }, (_, i) => ({ id: `${src}${i}`, src, s: i * 100, d: 100, in: i * step }));
    const few = decodesPerSource([{ tt: 0, sg: sg(SHARED_DECODE_MIN - 1, 'a') }]);
    expect(few.get('a')).toBe(SHARED_DECODE_MIN - 1);
    const many = decodesPerSource([
      { tt: 0, sg: sg(500, 'a') },
      { tt: 0, sg: sg(3, 'a') },
    ]);
    expect(many.get('a')).toBe(1 + 3);
    expect(decodesPerSource([{ tt: 0, sg: sg(100, 'a', 0) }]).get('a')).toBe(100); // the same 100 ms, 100 times
    // A run is retimed as a whole: two speeds are two groups (10 cuts each: one decode each).
    const mixed = sg(20, 'a').map((x, i) => ({ ...x, m: { speed: i % 2 ? 1.5 : 1 } }));
    expect(decodesPerSource([{ tt: 0, sg: mixed }]).get('a')).toBe(2);
  });
});

describe('the render plan', () => {
  const input = (kind: RenderInput['kind']): RenderInput => ({
    url: `/tmp/${kind}`,
    kind,
    hasAudio: kind === 'video',
    durationMs: 60_000,
    audioChannels: 2,
  });
  const plan = (n: number, kind: RenderInput['kind'] = 'video') => {
    const sg = Array.from({ length: n }, (_, i) => ({ id: `s${i}`, src: 'm', s: i * 100, d: 100, in: i * 150, m: {} }));
    const draft = { v: 1, w: 320, h: 240, fps: 25, d: n * 100, t: [{ id: 'v', tt: 0 as const, m: {}, sg }] };
    return buildRender(draft as never, {
      inputs: new Map([['m', input(kind)]]),
      tmpDir: '/tmp/plan',
      fontsDir: '/tmp/fonts',
      fonts: { latin: '', cjk: '' },
      preset: 'ultrafast',
      outputPath: '/tmp/plan/out.mp4',
    });
  };
  const inputsOf = (args: string[]) => args.filter((a) => a === '-i').length;

  it('below the threshold each segment seeks its own input, as before', () => {
    const p = plan(SHARED_DECODE_MIN - 1);
    expect(inputsOf(p.args)).toBe(SHARED_DECODE_MIN - 1);
    expect(p.graph).not.toContain('split=');
  });

  it('from the threshold on, one input, one split per stream, concat in timeline order', () => {
    const p = plan(200);
    expect(inputsOf(p.args)).toBe(1);
    expect(p.graph).toContain("[0:v]select='between(t,0.000,30.050)',"); // 100 ms of every 150 ms, with slack: one range
    expect(p.graph).toContain(',fps=25,split=200[');
    expect(p.graph).toContain(',asplit=200[');
    expect(p.graph).toContain('concat=n=200:v=0:a=1');
    expect(p.graph).not.toContain('adelay'); // one sound for the run, no amix input waiting per segment
    expect(p.args).toContain('-filter_complex');
  });

  it('a still used many times is looped once and cut by frame numbers', () => {
    const p = plan(20, 'image');
    expect(inputsOf(p.args)).toBe(1);
    expect(p.graph).toContain('loop=loop=49:size=1:start=0'); // 2 s at 25 fps, shared out 3, 2, 3, 2 …
    expect(p.graph).toContain('trim=start_frame=48:end_frame=50');
  });

  it('a graph over the argument limit goes through -filter_complex_script', () => {
    const p = plan(1000);
    const at = p.args.indexOf('-filter_complex_script');
    expect(p.args[at + 1]).toBe('/tmp/plan/graph.txt');
    expect(p.files.find((f) => f.path === '/tmp/plan/graph.txt')?.content).toBe(p.graph);
  });
});
