// Placeholder: replaced by the real module.
export const InMemoryScheduleStore: never = undefined as never;
export const InMemoryScheduleStoreState: never = undefined as never;
