import { describe, expect, it } from 'vitest';
import { buildGraph, findCycles, folderGraph, upwardLibImports } from '../../scripts/check-imports.ts';

describe('scripts/check-imports.ts (run by npm run check)', () => {
  it('finds cycles, long and self-imports, and leaves acyclic graphs alone', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
      ['e.ts', ['e.ts']],
    ]);
    expect(findCycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['e.ts']]);
    expect(
      findCycles(
        new Map([
          ['x.ts', ['y.ts']],
          ['y.ts', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('flags every src/lib import of a feature folder, and no other edge', () => {
    const graph = new Map([
      ['src/lib/a.ts', ['src/agent/turn.ts', 'src/lib/b.ts']],
      ['src/lib/b.ts', ['src/durable/user-do.ts', 'src/uploads/names.ts']],
      ['src/routes/x.ts', ['src/agent/turn.ts', 'src/lib/a.ts']],
      ['src/uploads/y.ts', ['src/durable/media.ts']],
    ]);
    expect(upwardLibImports(graph)).toEqual([
      'src/lib/a.ts -> src/agent/turn.ts',
      'src/lib/b.ts -> src/durable/user-do.ts',
      'src/lib/b.ts -> src/uploads/names.ts',
    ]);
  });

  it('folds files into their src/ folders, so a cycle between folders shows with no file cycle', () => {
    const graph = new Map([
      ['src/durable/user-do.ts', ['src/render/cleanup.ts', 'src/lib/ids.ts']],
      ['src/render/cleanup.ts', ['src/lib/ids.ts']],
      ['src/render/pipeline.ts', ['src/durable/renders.ts']],
      ['src/durable/renders.ts', []],
      ['src/lib/ids.ts', []],
      ['src/index.ts', ['src/render/pipeline.ts']],
    ]);
    expect(findCycles(graph)).toEqual([]);
    const folders = folderGraph(graph);
    expect(folders.get('src/durable')).toEqual(['src/lib', 'src/render']);
    expect(findCycles(folders)).toEqual([['src/durable', 'src/render']]);
  });

  it('the repository itself has no cycle and no new upward import', () => {
    const graph = buildGraph();
    expect(graph.size).toBeGreaterThan(150);
    // The render workflow and start-render used to import each other (issue 12).
    expect(graph.get('src/render/start-render.ts')).not.toContain('src/render/render-workflow.ts');
    expect(findCycles(graph)).toEqual([]);
    expect(findCycles(folderGraph(graph))).toEqual([]);
    expect(upwardLibImports(graph)).toEqual([]);
    // Tests live in test/ and engine/test/ only: none beside the shipping code (issue 12).
    expect([...graph.keys()].filter((f) => /\.test\.ts$|fake-service/.test(f))).toEqual([]);
    // lib imports nothing from a feature folder, with no exception left (issue 12).
    expect([...graph.keys()].filter((f) => f.startsWith('src/lib/upload'))).toEqual([]);
  });
});
