// Placeholder: replaced by the real module.
export type AdapterModule = never;
export type AdapterSet = never;
export type ConnectOptions = never;
export const connectAdapters: never = undefined as never;
export const ADAPTER_SCHEMES: never = undefined as never;
export const parseConnectionUrl: never = undefined as never;
