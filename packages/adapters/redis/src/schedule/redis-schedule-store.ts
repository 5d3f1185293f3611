// Placeholder: replaced by the real module.
export const RedisScheduleStore: never = undefined as never;
export type RedisScheduleStoreOptions = never;
