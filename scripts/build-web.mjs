#!/usr/bin/env node
// Builds the editor at `/` (web/) into web/dist/, which wrangler.toml serves as static assets.
// Runs as part of `npm start` and `npm test` (npm run setup). esbuild bundles the TypeScript and
// CSS into content-hashed files (cached for a year by web/public/_headers); index.html is written
// last with their names, so a half-finished build never points at missing files.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const web = join(dirname(fileURLToPath(import.meta.url)), '..', 'web');
const out = join(web, 'dist');
const started = Date.now();
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });
const result = await build({
  entryPoints: { app: join(web, 'src', 'main.ts'), style: join(web, 'src', 'app.css') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022', 'chrome100', 'safari16', 'firefox110'],
  outdir: join(out, 'assets'),
  entryNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});
const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
const js = outputs.find((f) => f.startsWith('app-') && f.endsWith('.js'));
const css = outputs.find((f) => f.startsWith('style-') && f.endsWith('.css'));
if (!js || !css) throw new Error(`build-web: missing outputs in ${outputs.join(', ')}`);
cpSync(join(web, 'public'), out, { recursive: true });
const html = readFileSync(join(web, 'index.html'), 'utf8')
  .replace('%APP_JS%', `/assets/${js}`)
  .replace('%APP_CSS%', `/assets/${css}`);
writeFileSync(join(out, 'index.html'), html);
process.stderr.write(`build-web: web/dist (${js}, ${css}) in ${Date.now() - started} ms\n`);
