// Placeholder: replaced by the real module.
export const TaskResult: never = undefined as never;
export type TaskResultGetOptions = never;
