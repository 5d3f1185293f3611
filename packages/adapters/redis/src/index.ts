export { RedisBroker } from './broker/redis-broker';
export {
  type QueueMaintenance,
  REDIS_BROKER_CAPABILITIES,
  type RedisBrokerOptions,
} from './broker/redis-broker-options';
export {
  createRedisClient,
  parseRedisUrl,
  queueKey,
  type RedisClient,
  type RedisConnectionOptions,
  resolveRedisConnection,
} from './connection/redis-connection';
export { createAdapters } from './create-adapters';
export { RedisEventBus, type RedisEventBusOptions } from './events/redis-event-bus';
export { RedisLockStore, type RedisLockStoreOptions } from './lock/redis-lock-store';
export { RedisRateLimiter, type RedisRateLimiterOptions } from './rate-limit/redis-rate-limiter';
export { RedisResultBackend, type RedisResultBackendOptions } from './result/redis-result-backend';
export {
  RedisRevocationStore,
  type RedisRevocationStoreOptions,
} from './revocation/redis-revocation-store';
export {
  RedisScheduleStore,
  type RedisScheduleStoreOptions,
} from './schedule/redis-schedule-store';
