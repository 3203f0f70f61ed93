#!/usr/bin/env node
// Launcher: the CLI is TypeScript, run through tsx's loader so it works on Node 20 and 22
// with nothing but `npm install` (no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
