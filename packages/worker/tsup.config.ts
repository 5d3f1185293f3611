import { defineConfig } from 'tsup';

// Two builds: the public API (ESM + CJS + types), and the worker-thread entry, which
// uses top-level await and is loaded by path from either format, so it is ESM only.
export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    shims: true,
  },
  {
    entry: { 'thread-entry': 'src/pool/thread-entry.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
  },
]);
