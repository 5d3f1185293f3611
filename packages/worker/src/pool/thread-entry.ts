/**
 * Runs inside each worker thread of a ThreadPool: loads the app module, then runs one
 * task at a time as the main thread asks, posting progress and the outcome back.
 * Time limits, retries and broker settlement stay on the main thread.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { errorFromRecord, toErrorRecord } from '@stem/core';
import { loadAppModule } from '../app/load-app-module';
import { runTaskHandler } from './run-task-handler';
import type { MainToThread, ThreadData, ThreadToMain } from './thread-messages';

const port = parentPort;
if (port === null) throw new Error('thread-entry must run in a worker thread');
const data = workerData as ThreadData;

if (data.loadTypeScript) {
  // Resolve tsx from the app's own location: that is where the user installed it.
  const appRequire = createRequire(fileURLToPath(data.appModule));
  let apiPath: string;
  try {
    apiPath = appRequire.resolve('tsx/esm/api');
  } catch {
    throw new Error(
      `the app module ${data.appModule} is TypeScript: install tsx, or point the pool at built JavaScript`,
    );
  }
  const api = (await import(pathToFileURL(apiPath).href)) as { register(): unknown };
  api.register();
}

const app = await loadAppModule(data.appModule);
const running = new Map<string, AbortController>();

function post(message: ThreadToMain): void {
  port!.postMessage(message);
}

port.on('message', (message: MainToThread) => {
  if (message.type === 'abort') {
    running.get(message.jobId)?.abort(errorFromRecord(message.reason));
    return;
  }
  const controller = new AbortController();
  running.set(message.jobId, controller);
  runTaskHandler({
    registry: app.registry,
    middleware: app.middleware,
    envelope: message.envelope,
    queue: message.queue,
    controller,
    onProgress: (progress) => post({ type: 'progress', jobId: message.jobId, progress }),
  })
    .then(
      (value) => ({ ok: true as const, value }),
      (thrown: unknown) => ({ ok: false as const, error: toErrorRecord(thrown) }),
    )
    .then((outcome) => {
      running.delete(message.jobId);
      const heapUsedBytes = getHeapStatistics().used_heap_size;
      try {
        post({ type: 'done', jobId: message.jobId, outcome, heapUsedBytes });
      } catch (error) {
        // The result could not be cloned (a function, a class instance…): report that instead.
        const problem = toErrorRecord(
          new TypeError(`the task's result cannot be sent: ${(error as Error).message}`),
        );
        post({
          type: 'done',
          jobId: message.jobId,
          outcome: { ok: false, error: problem },
          heapUsedBytes,
        });
      }
    });
});

post({ type: 'ready', taskNames: app.registry.names() });
