// Lua scripts are imported as text: tsup's text loader in builds, a small plugin in tests.
declare module '*.lua' {
  const source: string;
  export default source;
}
