// Placeholder: replaced by the real module.
export type ParsedArguments = never;
export const validateTaskArguments: never = undefined as never;
