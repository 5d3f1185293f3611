// Placeholder: replaced by the real module.
export const InMemoryEventBus: never = undefined as never;
export const InMemoryEventBusState: never = undefined as never;
