/** Engine entry: `npm run engine` (ENGINE_HOST, ENGINE_PORT; see engine/README.md for the rest). */
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { loadConfig } from './config.ts';

const cfg = loadConfig();
const app = createApp(cfg);
const server = serve({ fetch: app.fetch, hostname: cfg.host, port: cfg.port }, (info) => {
  console.log(`engine listening on http://${info.address}:${info.port} (asr: ${cfg.asrProvider})`);
});

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    server.close();
    process.exit(0);
  });
}
