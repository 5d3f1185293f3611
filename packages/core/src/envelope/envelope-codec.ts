// Placeholder: replaced by the real module.
export const DEFAULT_ENVELOPE_LIMITS: never = undefined as never;
export const decodeEnvelope: never = undefined as never;
export const encodeEnvelope: never = undefined as never;
export type EnvelopeLimits = never;
export const validateEnvelope: never = undefined as never;
