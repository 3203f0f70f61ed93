/** Engine entry: `npm run engine` (ENGINE_HOST, ENGINE_PORT, ENGINE_SECRET, ENGINE_WORKER_ORIGIN; see docs/engine.md). */
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';
import { loadEngineAuth } from './http/auth.ts';

const cfg = loadConfig();
const app = createApp(cfg, { auth: await loadEngineAuth() });
const server = serve({ fetch: app.fetch, hostname: cfg.host, port: cfg.port }, (info) => {
  console.log(`engine listening on http://${info.address}:${info.port} (asr: ${cfg.asrProvider})`);
});

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    server.close();
    process.exit(0);
  });
}
