export {
  createRedisClient,
  parseRedisUrl,
  queueKey,
  type RedisClient,
  type RedisConnectionOptions,
  resolveRedisConnection,
} from './connection/redis-connection';
export { REDIS_BROKER_CAPABILITIES, RedisBroker, type RedisBrokerOptions } from './broker/redis-broker';
export { RedisResultBackend, type RedisResultBackendOptions } from './result/redis-result-backend';
export { RedisScheduleStore, type RedisScheduleStoreOptions } from './schedule/redis-schedule-store';
export { RedisRateLimiter, type RedisRateLimiterOptions } from './rate-limit/redis-rate-limiter';
export { RedisLockStore, type RedisLockStoreOptions } from './lock/redis-lock-store';
export { RedisEventBus, type RedisEventBusOptions } from './events/redis-event-bus';
export { RedisRevocationStore, type RedisRevocationStoreOptions } from './revocation/redis-revocation-store';
export { createAdapters } from './create-adapters';
