#!/usr/bin/env node
// `npm run deploy`: the Worker, its Durable Objects (migrations), the render Workflow, the cron,
// the rate limiter, the editor's assets and the engine containers, to the Cloudflare account
// `wrangler login` chose. Checks what it needs first and says what is missing. docs/deploying.md.
//
//   PUBLIC_BASE_URL=https://openedit.<you>.workers.dev npm run deploy
//
// Environment:
//   PUBLIC_BASE_URL   required: the Worker's public origin (signed URLs, share links, and the only
//                     origin the engine containers read from and write to)
//   SIGNING_SECRET    optional: on the first deploy, the secret to set (default: 32 random bytes);
//                     never needed again, and never printed
//   ENGINE_URLS       optional: engines you run elsewhere (comma-separated base URLs) instead of
//                     the containers; then no container is built (`--containers-rollout=none`)
// Flags:
//   --plan            print the checks' inputs and the `wrangler deploy` command as JSON, change nothing
//   --no-containers   deploy the Worker without building or updating the engine image (no Docker)
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unstable_readConfig } from 'wrangler';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');
const args = new Set(process.argv.slice(2));
const planOnly = args.has('--plan');

/** Secrets the Worker refuses to run without, and ones features use when set. */
const REQUIRED_SECRETS = ['SIGNING_SECRET'];
const OPTIONAL_SECRETS = [['LLM_API_KEY', 'the chat planner with PLANNER=openai (docs/chat.md)']];

const say = (line) => process.stderr.write(`[deploy] ${line}\n`);
function fail(line) {
  say(line);
  process.exit(1);
}

function run(cmd, argv, opts = {}) {
  const res = spawnSync(cmd, argv, {
    cwd: root,
    encoding: 'utf8',
    stdio: opts.inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  return { code: res.status ?? 1, out: `${res.stdout ?? ''}${res.stderr ?? ''}`, stdout: res.stdout ?? '' };
}

/** What wrangler.toml configures (parsed by wrangler itself, so it is what deploy will use). */
function readPlan() {
  const config = unstable_readConfig({ config: join(root, 'wrangler.toml') });
  const container = config.containers?.find((c) => c.class_name === 'EngineContainer');
  const externalEngines = (process.env.ENGINE_URLS ?? '').trim();
  const containers = args.has('--no-containers') || externalEngines !== '' ? 0 : (container?.max_instances ?? 0);
  const publicBaseUrl = (process.env.PUBLIC_BASE_URL ?? '').replace(/\/+$/, '');
  const deployArgs = [
    'deploy',
    '--var',
    `PUBLIC_BASE_URL:${publicBaseUrl}`,
    // The pool: the containers, or the engines named in ENGINE_URLS; never the local default.
    '--var',
    `ENGINE_CONTAINERS:${containers}`,
    '--var',
    `ENGINE_URLS:${externalEngines}`,
    '--var',
    'ENGINE_URL:',
  ];
  if (containers === 0) deployArgs.push('--containers-rollout=none');
  return {
    worker: config.name,
    bucket: config.r2_buckets?.[0]?.bucket_name,
    publicBaseUrl,
    containers,
    container: container
      ? { image: container.image, max_instances: container.max_instances, instance_type: container.instance_type }
      : null,
    requiredSecrets: REQUIRED_SECRETS,
    optionalSecrets: OPTIONAL_SECRETS.map(([name]) => name),
    deployArgs,
  };
}

const plan = readPlan();
if (planOnly) {
  process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
  process.exit(0);
}

// 1. Inputs that have no default.
if (!/^https:\/\/[^/]+$/.test(plan.publicBaseUrl)) {
  fail(
    'set PUBLIC_BASE_URL to the Worker\'s public origin, e.g. PUBLIC_BASE_URL=https://openedit.<your-subdomain>.workers.dev npm run deploy ("npx wrangler whoami" and the dashboard show the workers.dev subdomain)',
  );
}

// 2. Logged in.
const who = run(wrangler, ['whoami']);
if (who.code !== 0 || /not authenticated|You are not logged in/i.test(who.out)) {
  fail('not logged in to Cloudflare: run `npx wrangler login` (or set CLOUDFLARE_API_TOKEN), then deploy again');
}
say('logged in');

// 3. Docker, when the engine image is to be built.
if (plan.containers > 0 && run(process.env.WRANGLER_DOCKER_BIN || 'docker', ['info']).code !== 0) {
  fail(
    'the engine image (engine/Dockerfile) is built with Docker, and `docker info` failed: start Docker, or deploy the Worker alone with `npm run deploy -- --no-containers` (then set ENGINE_URLS to engines you run elsewhere)',
  );
}

// 4. Secrets: the required ones exist, or SIGNING_SECRET is created now.
const listed = run(wrangler, ['secret', 'list', '--format', 'json']);
let existing = [];
try {
  existing = JSON.parse(listed.stdout).map((s) => s.name);
} catch {
  // A Worker that was never deployed has no secrets yet: the first deploy uploads them.
}
const secrets = {};
for (const name of plan.requiredSecrets) {
  if (existing.includes(name)) continue;
  if (name === 'SIGNING_SECRET') {
    secrets.SIGNING_SECRET = process.env.SIGNING_SECRET || randomBytes(32).toString('hex');
    if (secrets.SIGNING_SECRET.length < 32) fail('SIGNING_SECRET must be 32+ characters');
    say('SIGNING_SECRET is not set on the Worker: uploading a new random one with this deploy (never printed)');
  } else {
    fail(`secret ${name} is missing: npx wrangler secret put ${name}`);
  }
}
for (const [name, what] of OPTIONAL_SECRETS) {
  if (!existing.includes(name)) say(`optional secret ${name} not set (${what}): npx wrangler secret put ${name}`);
}

// 5. The R2 bucket.
const buckets = run(wrangler, ['r2', 'bucket', 'list']);
if (buckets.code !== 0) fail(`could not list R2 buckets (is R2 enabled on the account?):\n${buckets.out}`);
if (!new RegExp(`\\b${plan.bucket}\\b`).test(buckets.out)) {
  say(`creating R2 bucket ${plan.bucket}`);
  const made = run(wrangler, ['r2', 'bucket', 'create', plan.bucket]);
  if (made.code !== 0) fail(`could not create the R2 bucket ${plan.bucket}:\n${made.out}`);
} else say(`R2 bucket ${plan.bucket} exists`);

// 6. The editor, then the deploy itself.
if (run(process.execPath, [join(root, 'scripts', 'build-web.mjs')], { inherit: true }).code !== 0)
  fail('web build failed');
const deployArgs = [...plan.deployArgs];
let secretsDir = '';
if (Object.keys(secrets).length > 0) {
  secretsDir = mkdtempSync(join(tmpdir(), 'openedit-deploy-'));
  const file = join(secretsDir, 'secrets.json');
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  deployArgs.push('--secrets-file', file);
}
say(`npx wrangler ${plan.deployArgs.join(' ')}${secretsDir ? ' --secrets-file <new secrets>' : ''}`);
const deployed = run(wrangler, deployArgs, { inherit: true });
if (secretsDir) rmSync(secretsDir, { recursive: true, force: true });
if (deployed.code !== 0) fail('wrangler deploy failed (its output is above)');

process.stdout.write(
  [
    '',
    `Deployed ${plan.worker} to ${plan.publicBaseUrl}.`,
    plan.containers > 0
      ? `Engines: ${plan.containers} containers (${plan.container.instance_type}), started on first use; the first job after a sleep waits for a cold start.`
      : `Engines: ENGINE_URLS=${process.env.ENGINE_URLS || '(none: analysis and renders answer "engine unavailable")'}`,
    'Next:',
    `  curl -s ${plan.publicBaseUrl}/health    # {"status":"ok","engine":"ok","engines":{"configured":N,"healthy":N}}`,
    '  (a sleeping container counts as healthy: the first job after a sleep starts it, which takes some seconds)',
    '  npx wrangler tail                        # the Worker log (engine picks, render jobs)',
    '  npx wrangler containers list             # the engine containers and their instances',
    '',
  ].join('\n'),
);
