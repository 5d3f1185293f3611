// Placeholder: replaced by the real module.
export const REDIS_BROKER_CAPABILITIES: never = undefined as never;
export const RedisBroker: never = undefined as never;
export type RedisBrokerOptions = never;
