// Placeholder: replaced by the real module.
export const occurrenceId: never = undefined as never;
