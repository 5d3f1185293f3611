/**
 * Paths to values inside an envelope, kept as a linked list while walking and only
 * turned into text (`args.items[3].when`) when an error needs to name the field.
 */

/** One step of a path: a top-level field name, an object key or an array index. */
export interface JsonPath {
  readonly parent: JsonPath | undefined;
  readonly key: string | number;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Longest key, in UTF-16 code units, shown in full inside an error's field path. */
const MAX_KEY_SHOWN = 64;

/** A path that starts at a top-level envelope field (or `$` for the whole document). */
export function rootPath(field: string): JsonPath {
  return { parent: undefined, key: field };
}

export function childPath(parent: JsonPath, key: string | number): JsonPath {
  return { parent, key };
}

/**
 * Dotted form of a path: identifier keys after a dot, array indexes and any other key
 * in brackets (`meta["a b"]`), so the text names exactly one value.
 */
export function formatJsonPath(path: JsonPath): string {
  const steps: Array<string | number> = [];
  for (let step: JsonPath | undefined = path; step !== undefined; step = step.parent) {
    steps.push(step.key);
  }
  steps.reverse();
  let text = '';
  for (const [index, key] of steps.entries()) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (IDENTIFIER.test(key)) text += index === 0 ? key : `.${key}`;
    else text += `[${JSON.stringify(shorten(key))}]`;
  }
  return text;
}

// Keys come from untrusted input: a megabyte-long key must not become a megabyte-long message.
function shorten(key: string): string {
  return key.length <= MAX_KEY_SHOWN ? key : `${key.slice(0, MAX_KEY_SHOWN)}…`;
}
