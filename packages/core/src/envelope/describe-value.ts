/**
 * Short, safe descriptions of received values for validation messages. Never prints a
 * whole string or object: a message may reach logs, and arguments may hold secrets.
 */

const MAX_SHOWN = 40;

/** `"abc"`, `12`, `null`, `an array`, `a Date`… Never throws, whatever it is given. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return value.length <= MAX_SHOWN
        ? JSON.stringify(value)
        : `${JSON.stringify(value.slice(0, MAX_SHOWN))}… (${value.length} characters)`;
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return 'a bigint';
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      return describeObject(value);
  }
}

function describeObject(value: object): string {
  let prototype: object | null;
  try {
    prototype = Object.getPrototypeOf(value);
  } catch {
    return 'an object';
  }
  if (prototype === null || prototype === Object.prototype) return 'an object';
  const name = (prototype as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof name !== 'string' || name === '') return 'an object';
  return /^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`;
}
