// Placeholder: replaced by the real module.
export const assertBrokerCapability: never = undefined as never;
export const DEFAULT_DELIVERY_LIMIT: never = undefined as never;
export const DEFAULT_LEASE_MS: never = undefined as never;
