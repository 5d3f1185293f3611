// Placeholder: replaced by the real module.
export type CreateEnvelopeInput = never;
export const createEnvelope: never = undefined as never;
