// Placeholder: replaced by the real module.
export const InMemoryRevocationStore: never = undefined as never;
export const InMemoryRevocationStoreState: never = undefined as never;
