// `pnpm bench` runs the workspace sources through tsx; this hook lets @stem/redis load
// its Lua scripts as text there, as tsup's text loader does in builds.
import { register } from 'node:module';

const hooks = `
import { readFile } from 'node:fs/promises';
export async function load(url, context, nextLoad) {
  if (!url.endsWith('.lua')) return nextLoad(url, context);
  const source = 'export default ' + JSON.stringify(await readFile(new URL(url), 'utf8')) + ';';
  return { format: 'module', source, shortCircuit: true };
}
`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
