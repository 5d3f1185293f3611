// Placeholder: replaced by the real module.
export const RedisResultBackend: never = undefined as never;
export type RedisResultBackendOptions = never;
