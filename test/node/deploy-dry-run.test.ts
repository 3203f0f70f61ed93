/**
 * What `npm run deploy` would deploy, checked offline (issue 14, deploy). `wrangler deploy
 * --dry-run` bundles the Worker but, with [[containers]] configured, insists on the Docker CLI
 * to build the engine image even in dry-run mode ("The Docker CLI is needed to build the
 * configured image before deploying (even in dry-run mode)"); these machines have no Docker. So
 * the dry run here passes `--containers-rollout=none` (bundle and bindings only) and the
 * container configuration is checked by parsing wrangler.toml with wrangler's own reader, and the
 * image by reading engine/Dockerfile against the setup scripts and the engine's imports.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unstable_readConfig } from 'wrangler';
import { REPO_ROOT } from './stack.ts';

const exec = promisify(execFile);
const wrangler = join(REPO_ROOT, 'node_modules', '.bin', 'wrangler');
/** The parts of wrangler's parsed configuration checked here (its own types are loose for these). */
interface ParsedConfig {
  containers?: {
    class_name?: string;
    image: string;
    image_build_context?: string;
    max_instances?: number;
    instance_type?: string;
  }[];
  migrations: { tag: string; new_sqlite_classes?: string[]; new_classes?: string[] }[];
  durable_objects: { bindings: { name: string; class_name: string }[] };
  dev: { enable_containers: boolean };
  vars: Record<string, unknown>;
}
const config = unstable_readConfig({ config: join(REPO_ROOT, 'wrangler.toml') }) as unknown as ParsedConfig;
const engineContainer = config.containers?.find((c) => c.class_name === 'EngineContainer');

let outDir = '';
let dryRunOutput = '';
let bundle = '';

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'openedit-deploy-'));
  const { stdout, stderr } = await exec(
    wrangler,
    [
      'deploy',
      '--dry-run',
      '--containers-rollout=none',
      '--outdir',
      outDir,
      // The production variables scripts/deploy.mjs passes.
      ...['--var', 'PUBLIC_BASE_URL:https://openedit.example.workers.dev'],
      ...['--var', `ENGINE_CONTAINERS:${engineContainer?.max_instances ?? 0}`],
      ...['--var', 'ENGINE_URLS:', '--var', 'ENGINE_URL:'],
    ],
    { cwd: REPO_ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, timeout: 120_000 },
  );
  dryRunOutput = stdout + stderr;
  bundle = readFileSync(join(outDir, 'index.js'), 'utf8');
}, 150_000);

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('wrangler deploy --dry-run (production variables)', () => {
  it('bundles the Worker with the classes wrangler binds exported, at a sane size', () => {
    expect(dryRunOutput).toContain('--dry-run: exiting now.');
    const exported = bundle.slice(bundle.lastIndexOf('export {')).split('}')[0]!.slice('export {'.length);
    const names = exported.split(',').map((e) =>
      e
        .trim()
        .split(/\s+as\s+/)
        .pop(),
    );
    for (const cls of ['RenderWorkflow', 'UserDO', 'EngineContainer', 'default']) expect(names).toContain(cls);
    const sizeBytes = statSync(join(outDir, 'index.js')).size;
    // Today about 1.4 MB unminified; Workers allow 10 MB compressed (paid plan), 3 MB on Free.
    expect(sizeBytes).toBeGreaterThan(200_000);
    expect(sizeBytes).toBeLessThan(3_000_000);
  });

  it('binds every resource, with the production variables set', () => {
    for (const line of [
      /env\.USER_DO \(UserDO\)\s+Durable Object/,
      /env\.ENGINE_CONTAINER \(EngineContainer\)\s+Durable Object/,
      /env\.RENDER_WORKFLOW \(RenderWorkflow\)\s+Workflow/,
      /env\.MEDIA \(openedit-media\)\s+R2 Bucket/,
      /env\.MINT_LIMITER \(10 requests\/60s\)\s+Rate Limit/,
      // Values given with --var are listed but hidden; deploy.mjs --plan below shows them.
      /env\.ENGINE_CONTAINERS \("\(hidden\)"\)\s+Environment Variable/,
      /env\.PUBLIC_BASE_URL \("\(hidden\)"\)\s+Environment Variable/,
    ]) {
      expect(dryRunOutput).toMatch(line);
    }
    expect(dryRunOutput).toContain('openedit-enginecontainer');
  });
});

describe('engine container configuration (wrangler.toml, read by wrangler)', () => {
  it('one container for EngineContainer: the engine Dockerfile, built from the repository root', () => {
    expect(engineContainer).toBeDefined();
    expect(engineContainer!.image).toBe(join(REPO_ROOT, 'engine', 'Dockerfile'));
    expect(existsSync(engineContainer!.image)).toBe(true);
    expect(engineContainer!.image_build_context).toBe(REPO_ROOT);
    expect(engineContainer!.max_instances).toBeGreaterThanOrEqual(2);
    expect(engineContainer!.instance_type).toBe('standard-3');
  });

  it('the class has a Durable Object binding, a migration, and local dev leaves containers off', () => {
    expect(config.durable_objects.bindings).toContainEqual({ name: 'ENGINE_CONTAINER', class_name: 'EngineContainer' });
    const created = config.migrations.flatMap((m) => [...(m.new_sqlite_classes ?? []), ...(m.new_classes ?? [])]);
    expect(created).toContain('EngineContainer');
    expect(created).toContain('UserDO');
    expect(config.dev.enable_containers).toBe(false);
    // Locally (and in the worker tests) the pool is ENGINE_URLS / ENGINE_URL; deploy switches it.
    expect(config.vars).toMatchObject({ ENGINE_CONTAINERS: '0', ENGINE_URLS: '' });
  });

  it('npm run deploy passes the container count from max_instances (its --plan changes nothing)', async () => {
    const { stdout } = await exec(process.execPath, [join(REPO_ROOT, 'scripts', 'deploy.mjs'), '--plan'], {
      cwd: REPO_ROOT,
      env: { ...process.env, PUBLIC_BASE_URL: 'https://openedit.example.workers.dev', ENGINE_URLS: '' },
    });
    const plan = JSON.parse(stdout) as { containers: number; deployArgs: string[]; requiredSecrets: string[] };
    expect(plan.containers).toBe(engineContainer!.max_instances);
    expect(plan.deployArgs).toContain(`ENGINE_CONTAINERS:${engineContainer!.max_instances}`);
    expect(plan.deployArgs).not.toContain('--containers-rollout=none');
    expect(plan.requiredSecrets).toEqual(['SIGNING_SECRET']);
  });
});

describe('engine/Dockerfile', () => {
  const dockerfile = readFileSync(join(REPO_ROOT, 'engine', 'Dockerfile'), 'utf8');
  const copies = [...dockerfile.matchAll(/^COPY\s+(.+?)\s+\S+\s*$/gm)].flatMap((m) => m[1]!.split(/\s+/));

  it('every file or folder it COPYs exists', () => {
    expect(copies.length).toBeGreaterThan(3);
    for (const src of copies) expect(existsSync(join(REPO_ROOT, src)), src).toBe(true);
  });

  it('installs the run-time packages scripts/setup.sh installs, and runs the same speech setup', () => {
    const setup = readFileSync(join(REPO_ROOT, 'scripts', 'setup.sh'), 'utf8');
    const setupPackages = new Set([...setup.matchAll(/need\+=\(([a-z0-9.-]+)\)/g)].map((m) => m[1]!));
    const apt = /apt-get install[^\n]*\\\n((?:\s+[^\n]*\\\n)*\s+[^\n]*)/.exec(dockerfile)?.[1] ?? '';
    const imagePackages = new Set(apt.split(/[\s\\&]+/).filter((p) => /^[a-z0-9][a-z0-9.-]+$/.test(p) && p !== 'rm'));
    // Test-only packages (speech synthesis for test clips, recordings for word error rates, the browser).
    const testOnly = new Set(['espeak-ng', 'pocketsphinx-testdata', 'chromium']);
    for (const p of setupPackages) if (!testOnly.has(p)) expect(imagePackages, p).toContain(p);
    for (const p of imagePackages) if (p !== 'ca-certificates') expect(setupPackages, p).toContain(p);
    expect(dockerfile).toMatch(/^RUN bash scripts\/setup-speech\.sh/m);
    // setup-speech.sh reads the pinned requirements and the model list with their checksums.
    expect(copies).toContain('engine/asr-worker');
    for (const f of ['requirements.txt', 'models.json', 'install_models.py']) {
      expect(existsSync(join(REPO_ROOT, 'engine', 'asr-worker', f)), f).toBe(true);
    }
  });

  it("the engine's imports are all inside what it copies, and its packages are run-time dependencies", () => {
    const copied = copies.map((c) => resolve(REPO_ROOT, c));
    const seen = new Set<string>();
    const packages = new Set<string>();
    const queue = [join(REPO_ROOT, 'engine', 'src', 'main.ts')];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g)) {
        const spec = m[1]!;
        if (spec.startsWith('.')) queue.push(resolve(dirname(file), spec));
        else if (!spec.startsWith('node:'))
          packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      }
    }
    const outside = [...seen].filter(
      (f) => !f.includes('.test.') && !copied.some((c) => f === c || f.startsWith(`${c}/`)),
    );
    expect(outside.map((f) => relative(REPO_ROOT, f))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const p of packages) expect(Object.keys(pkg.dependencies), p).toContain(p);
  });
});
