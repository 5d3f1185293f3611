// Placeholder: replaced by the real module.
export const InMemoryLockStore: never = undefined as never;
export const InMemoryLockStoreState: never = undefined as never;
