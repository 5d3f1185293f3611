/**
 * Starts a TypeScript fixture (or the host entry point) as a real child process for the
 * memory-host tests. TSX_TSCONFIG_PATH points tsx at the workspace paths, so the child
 * runs '@stem/core' from source like the test process does, never a stale build.
 */
import { fileURLToPath } from 'node:url';
import { ManagedProcess } from '@stem/testing';

const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));

/** Path of a fixture in test/fixtures, e.g. `memory-host-holding-consumer.ts`. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
}

/** Path of the standalone host entry point. */
export const hostMainPath = fileURLToPath(
  new URL('../../src/memory-host/host-main.ts', import.meta.url),
);

/** Runs `node --import tsx <file> ...args` from the repository root. */
export function startTypeScriptChild(
  name: string,
  file: string,
  args: readonly string[],
): Promise<ManagedProcess> {
  return ManagedProcess.start({
    name,
    command: process.execPath,
    args: ['--import', 'tsx', file, ...args],
    env: { TSX_TSCONFIG_PATH: `${repoRoot}tsconfig.base.json` },
    cwd: repoRoot,
  });
}

/** Every complete stdout/stderr line of `child` so far that starts with `prefix`. */
export function linesStartingWith(child: ManagedProcess, prefix: string): string[] {
  return child
    .output()
    .split('\n')
    .filter((line) => line.startsWith(prefix));
}
