// The conformance suites against a real Redis: one describe… call per contract the
// package implements. Every case runs in its own namespace (key prefix) on the server.

import {
  REDIS_BROKER_CAPABILITIES,
  RedisBroker,
  RedisLockStore,
  RedisRateLimiter,
  RedisResultBackend,
  RedisScheduleStore,
} from '@stem/redis';
import {
  describeBrokerConformance,
  describeLockStoreConformance,
  describeRateLimiterConformance,
  describeResultBackendConformance,
  describeScheduleStoreConformance,
  requireService,
  testServiceUrl,
} from '@stem/testing';
import { beforeAll } from 'vitest';
import { forgetConformanceKeys } from './support/forget-conformance-keys';

beforeAll(() => requireService('redis'));
const track = forgetConformanceKeys();

// Broker
describeBrokerConformance({
  name: 'redis',
  open: (namespace) =>
    new RedisBroker({ url: testServiceUrl('redis'), namespace: track(namespace) }),
  capabilities: REDIS_BROKER_CAPABILITIES,
});

// Result backend, schedule store, rate limiter, locks
describeResultBackendConformance({
  name: 'RedisResultBackend',
  open: (namespace) =>
    new RedisResultBackend({ url: testServiceUrl('redis'), namespace: track(namespace) }),
});

describeScheduleStoreConformance({
  name: 'RedisScheduleStore',
  open: (namespace) =>
    new RedisScheduleStore({ url: testServiceUrl('redis'), namespace: track(namespace) }),
});

describeRateLimiterConformance({
  name: 'RedisRateLimiter',
  open: (namespace) =>
    new RedisRateLimiter({ url: testServiceUrl('redis'), namespace: track(namespace) }),
});

describeLockStoreConformance({
  name: 'RedisLockStore',
  open: (namespace) =>
    new RedisLockStore({ url: testServiceUrl('redis'), namespace: track(namespace) }),
});
