// Placeholder: replaced by the real module.
export const IN_MEMORY_BROKER_CAPABILITIES: never = undefined as never;
export const InMemoryBroker: never = undefined as never;
export type InMemoryBrokerOptions = never;
export const InMemoryBrokerState: never = undefined as never;
