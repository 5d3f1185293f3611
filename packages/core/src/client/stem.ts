// Placeholder: replaced by the real module.
export type EnqueueOptions = never;
export const Stem: never = undefined as never;
export type StemOptions = never;
