// Placeholder: replaced by the real module.
export type TokenBucket = never;
export const takeTokens: never = undefined as never;
