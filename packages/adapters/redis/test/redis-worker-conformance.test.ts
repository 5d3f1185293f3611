// The worker conformance suite against a real Redis (the shared test server): the real
// Worker runs on the Redis broker, result backend, event bus, revocation store and rate
// limiter. Every case runs in its own namespace (key prefix).
import { describeWorkerConformance, requireService, testServiceUrl } from '@stem/testing';
import { Worker } from '@stem/worker';
import { beforeAll } from 'vitest';
import { forgetConformanceKeys } from './support/forget-conformance-keys';
import { openRedisWorkerAdapters } from './support/open-redis-worker-adapters';

beforeAll(() => requireService('redis'));
const track = forgetConformanceKeys();

describeWorkerConformance({
  name: 'redis',
  openAdapters: (namespace) => openRedisWorkerAdapters(testServiceUrl('redis'), track(namespace)),
  createWorker: (options) => new Worker(options),
});
