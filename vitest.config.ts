import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages from their sources, so a test never runs against a
// stale build. Published packages resolve to dist/ as usual.
const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  // Lua scripts are imported as text (tsup's text loader does the same in builds).
  plugins: [
    {
      name: 'lua-as-text',
      transform(code, id) {
        return id.endsWith('.lua')
          ? { code: `export default ${JSON.stringify(code)};`, map: null }
          : null;
      },
    },
  ],
  resolve: {
    alias: {
      '@stem/core': source('./packages/core/src/index.ts'),
      '@stem/testing': source('./packages/testing/src/index.ts'),
      '@stem/worker': source('./packages/worker/src/index.ts'),
      '@stem/beat': source('./packages/beat/src/index.ts'),
      '@stem/redis': source('./packages/adapters/redis/src/index.ts'),
      '@stem/canvas': source('./packages/canvas/src/index.ts'),
      '@stem/cli': source('./packages/cli/src/index.ts'),
    },
  },
  test: {
    include: ['packages/**/test/**/*.test.ts', 'apps/**/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // No test is ever retried: a flaky test is a bug in the product or the harness.
    retry: 0,
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    typecheck: { enabled: false },
  },
});
