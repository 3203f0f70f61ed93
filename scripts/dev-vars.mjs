// The Worker's local secrets as `npm start` hands them on (scripts/start.mjs).
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** KEY=VALUE lines of .dev.vars (written by scripts/setup.sh), which wrangler dev reads for the Worker. */
export function devVars(root) {
  const file = join(root, '.dev.vars');
  if (!existsSync(file)) return {};
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => /^([A-Z0-9_]+)=(.*)$/.exec(l.trim()))
      .filter(Boolean)
      .map((m) => [m[1], m[2]]),
  );
}

/**
 * The engine gets only the key derived from SIGNING_SECRET (as src/lib/engine-auth.ts derives it),
 * never SIGNING_SECRET itself: it can check the Worker's requests but not sign blob URLs.
 */
export function engineSecretFor(signingSecret) {
  return signingSecret
    ? createHmac('sha256', signingSecret).update('openedit engine request signing v1').digest('hex')
    : '';
}
