// Placeholder: replaced by the real module.
export const RedisEventBus: never = undefined as never;
export type RedisEventBusOptions = never;
