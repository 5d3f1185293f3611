import { defineConfig } from 'tsup';

// Two builds: the library API (ESM + CJS + types) and the `stem` binary, an ESM entry
// (it uses top-level await) whose source starts with the shebang esbuild keeps.
export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
  },
  {
    entry: { stem: 'src/stem.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
  },
]);
