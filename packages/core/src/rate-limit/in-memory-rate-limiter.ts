// Placeholder: replaced by the real module.
export const InMemoryRateLimiter: never = undefined as never;
export const InMemoryRateLimiterState: never = undefined as never;
