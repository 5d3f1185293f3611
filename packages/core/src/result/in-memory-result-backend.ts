// Placeholder: replaced by the real module.
export const InMemoryResultBackend: never = undefined as never;
export const InMemoryResultBackendState: never = undefined as never;
