// Placeholder: replaced by the real module.
export const failpoint: never = undefined as never;
export type FailpointAction = never;
