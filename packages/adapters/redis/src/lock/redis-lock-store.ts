// Placeholder: replaced by the real module.
export const RedisLockStore: never = undefined as never;
export type RedisLockStoreOptions = never;
