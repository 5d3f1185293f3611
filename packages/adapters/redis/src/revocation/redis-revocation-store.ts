// Placeholder: replaced by the real module.
export const RedisRevocationStore: never = undefined as never;
export type RedisRevocationStoreOptions = never;
