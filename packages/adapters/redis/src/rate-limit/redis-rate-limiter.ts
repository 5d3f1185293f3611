// Placeholder: replaced by the real module.
export const RedisRateLimiter: never = undefined as never;
export type RedisRateLimiterOptions = never;
