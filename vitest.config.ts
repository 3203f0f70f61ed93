import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Keep the run's last line vitest's summary (CI reads it); the isolate hint is advice, not a result.
    experimental: { diagnostics: { isolate: false } },
    projects: [
      {
        // Worker tests run inside workerd with real local Durable Objects, R2 and Workflows.
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            // No engine in this project: upload probing is skipped, engine steps are mocked per test.
            // A fixed test-only secret (never deployed: wrangler.toml has none, so a deploy without
            // `wrangler secret put` refuses to serve); tests sign URLs with env.SIGNING_SECRET.
            miniflare: { bindings: { ENGINE_URL: '', SIGNING_SECRET: 'vitest-only-signing-secret-0123456789abcdef' } },
          }),
        ],
        test: { name: 'worker', include: ['test/worker/**/*.test.ts'] },
      },
      {
        // Node-side tests: media engine (engine/test), CLI (test/node/cli), end-to-end against the started stack.
        test: {
          name: 'node',
          include: ['engine/test/**/*.test.ts', 'test/node/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // ffmpeg already uses both cores; running media tests side by side only slows each down.
          fileParallelism: false,
        },
      },
    ],
  },
});
