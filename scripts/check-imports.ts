/**
 * Layering check, run by `npm run check` (issue 12): fails on
 *  - an import cycle anywhere under src/, engine/src/ or cli/ (type-only imports count too: a
 *    cycle of types still means two modules that cannot be understood apart);
 *  - src/lib importing from a feature folder: lib is the bottom layer, and no exception is
 *    allowed (when lib needs something of a feature, the dependency is inverted: see
 *    lib/app-env.ts and durable/user-stub.ts, lib/engine-protocol.ts and render/render-request.ts);
 *  - a cycle between feature folders (durable → render → durable, say), even when no two files
 *    import each other: folders are the layers, so their graph must be acyclic too. The storage
 *    layout both sides need lives in lib/storage-keys.ts for that reason.
 * Relative imports only: package imports cannot form a cycle inside the repository.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCAN = ['src', 'engine/src', 'cli'];
const FEATURES = [
  'src/agent',
  'src/draft',
  'src/durable',
  'src/engine-container',
  'src/render',
  'src/routes',
  'src/transcript',
  'src/uploads',
];

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|mts|mjs|js)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

// `import … from '…'`, `export … from '…'`, `import '…'` and `import('…')`, with comments removed first.
const IMPORT_RE = /(?:\bimport|\bexport)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(?\s*['"]([^'"]+)['"]/g;

export function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1');
  const found: string[] = [];
  for (const m of text.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2];
    if (spec?.startsWith('.')) found.push(relative(ROOT, resolve(dirname(file), spec)));
  }
  return found;
}

export type Graph = Map<string, string[]>;

export function buildGraph(): Graph {
  const graph: Graph = new Map();
  for (const dir of SCAN) for (const f of walk(join(ROOT, dir))) graph.set(relative(ROOT, f), importsOf(f));
  return graph;
}

/** Every elementary cycle reported once, via Tarjan's strongly connected components. */
export function findCycles(graph: Graph): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const sccs: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) sccs.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return sccs;
}

export function upwardLibImports(graph: Graph): string[] {
  const bad: string[] = [];
  for (const [from, tos] of graph) {
    if (!from.startsWith('src/lib/')) continue;
    for (const to of tos) {
      if (FEATURES.some((f) => to.startsWith(`${f}/`))) bad.push(`${from} -> ${to}`);
    }
  }
  return bad;
}

/** The folder graph of src/ (src/agent, src/durable, …): one node per folder, its files' imports merged. */
export function folderGraph(graph: Graph): Graph {
  const folderOf = (f: string) => /^src\/[^/]+(?=\/)/.exec(f)?.[0] ?? null;
  const folders: Graph = new Map();
  for (const [from, tos] of graph) {
    const a = folderOf(from);
    if (!a) continue;
    const edges = new Set(folders.get(a) ?? []);
    for (const to of tos) {
      const b = folderOf(to);
      if (b && b !== a) edges.add(b);
    }
    folders.set(a, [...edges].sort());
  }
  return folders;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const graph = buildGraph();
  const cycles = findCycles(graph);
  const upward = upwardLibImports(graph);
  const folderCycles = findCycles(folderGraph(graph));
  for (const c of cycles) console.error(`import cycle: ${c.join(' <-> ')}`);
  for (const c of folderCycles) console.error(`folder cycle: ${c.join(' <-> ')}`);
  for (const e of upward) console.error(`src/lib imports a feature folder: ${e}`);
  if (cycles.length || upward.length || folderCycles.length) process.exit(1);
  console.log(`imports: ${graph.size} modules, no cycle between files or folders, src/lib imports no feature folder`);
}
