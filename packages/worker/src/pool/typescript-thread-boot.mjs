// Development only: when @stem/worker runs from its TypeScript sources (its own tests),
// threads start here, register tsx, then load thread-entry.ts. Built packages start
// dist/thread-entry.js directly and never use this file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.threadEntry);
