import {
  DEFAULT_ENVELOPE_LIMITS,
  decodeEnvelope,
  ENVELOPE_VERSION,
  type Envelope,
  EnvelopeInvalidError,
  encodeEnvelope,
  StemError,
  validateEnvelope,
} from '@stem/core';
import { describe, expect, it } from 'vitest';

const FULL: Envelope = {
  v: 1,
  id: '0b0c3a52-5b1e-4d0a-9d8e-2f6a1c7e9b10',
  task: 'email.send',
  args: { to: 'ada@example.com', items: [1, 2.5, 'three', null, true, { when: 'now' }], 'a b': [] },
  queue: 'mail:high',
  priority: 7,
  attempt: 2,
  maxRetries: 5,
  notBeforeAt: 1_700_000_060_000,
  expiresAt: 1_700_003_600_000,
  softTimeLimitMs: 30_000,
  hardTimeLimitMs: 60_000,
  idempotencyKey: 'invoice-42',
  parentId: 'parent-1',
  rootId: 'root-1',
  groupId: 'group-1',
  groupIndex: 3,
  trace: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
  createdAt: 1_700_000_000_000,
  headers: { 'x-tenant': 'acme', emoji: '😀' },
  meta: { chain: [{ task: 'email.log', args: null }] },
};

const MINIMAL: Envelope = {
  v: 1,
  id: 'task-1',
  task: 'noop',
  args: null,
  queue: 'default',
  priority: 0,
  attempt: 1,
  maxRetries: 0,
  createdAt: 0,
  headers: {},
};

/** Decodes JSON text and returns the typed error it must throw. */
function decodeError(
  input: string | Uint8Array,
  limits?: { maxBytes?: number; maxDepth?: number },
) {
  try {
    decodeEnvelope(input, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(StemError);
    return error as StemError & { field?: string };
  }
  throw new Error(`decoding ${String(input).slice(0, 80)} did not throw`);
}

function withField(field: string, value: unknown): string {
  return JSON.stringify({ ...MINIMAL, [field]: value });
}

describe('envelope codec round trip', () => {
  it('encodes and decodes a full envelope to an equal value', () => {
    const text = encodeEnvelope(FULL);
    expect(decodeEnvelope(text)).toEqual(FULL);
    expect(decodeEnvelope(new TextEncoder().encode(text))).toEqual(FULL);
  });

  it('writes fields in specification order whatever order they came in', () => {
    const reversed = Object.fromEntries(Object.entries(FULL).reverse()) as unknown as Envelope;
    expect(encodeEnvelope(reversed)).toBe(encodeEnvelope(FULL));
    expect(Object.keys(JSON.parse(encodeEnvelope(FULL)))[0]).toBe('v');
  });

  it('returns a fresh copy, never the object it was given', () => {
    const parsed = JSON.parse(encodeEnvelope(FULL)) as Envelope;
    const checked = validateEnvelope(parsed);
    expect(checked).toEqual(parsed);
    expect(checked).not.toBe(parsed);
    expect(checked.args).not.toBe(parsed.args);
    expect(checked.headers).not.toBe(parsed.headers);
  });

  it('reads -0 as 0 so that a second round trip gives the same value', () => {
    const decoded = decodeEnvelope(
      withField('args', { n: -0, list: [-0] }).replace(/"n":0/, '"n":-0'),
    );
    expect(Object.is((decoded.args as { n: number }).n, 0)).toBe(true);
    expect(decodeEnvelope(encodeEnvelope(decoded))).toEqual(decoded);
  });

  it('has frozen defaults of 1 MiB and depth 32', () => {
    expect(DEFAULT_ENVELOPE_LIMITS).toEqual({ maxBytes: 1_048_576, maxDepth: 32 });
    expect(Object.isFrozen(DEFAULT_ENVELOPE_LIMITS)).toBe(true);
  });
});

describe('invalid fields are rejected with ENVELOPE_INVALID naming the field', () => {
  const cases: Array<[string, string, unknown]> = [
    ['v', 'v', 0],
    ['v', 'v', '1'],
    ['v', 'v', 1.5],
    ['id', 'id', ''],
    ['id', 'id', 'x'.repeat(201)],
    ['id', 'id', 7],
    ['task', 'task', 'has space'],
    ['task', 'task', '.leading-dot'],
    ['queue', 'queue', ''],
    ['queue', 'queue', 'a/b'],
    ['priority', 'priority', 10],
    ['priority', 'priority', -1],
    ['priority', 'priority', 1.5],
    ['attempt', 'attempt', 0],
    ['maxRetries', 'maxRetries', -1],
    ['notBeforeAt', 'notBeforeAt', '2024-01-01'],
    ['expiresAt', 'expiresAt', -5],
    ['createdAt', 'createdAt', 1e300],
    ['softTimeLimitMs', 'softTimeLimitMs', 0],
    ['hardTimeLimitMs', 'hardTimeLimitMs', 2.5],
    ['idempotencyKey', 'idempotencyKey', 12],
    ['parentId', 'parentId', null],
    ['rootId', 'rootId', ''],
    ['groupId', 'groupId', {}],
    ['groupIndex', 'groupIndex', -1],
    ['trace', 'trace', 'traceparent'],
    ['trace', 'trace.traceparent', { traceparent: 1 }],
    ['headers', 'headers', []],
    ['headers', 'headers["x-count"]', { 'x-count': 3 }],
    ['meta', 'meta', [1, 2]],
    ['meta', 'meta', null],
    ['args', 'args.deep[0]', { deep: ['\uD800'] }],
    ['colour', 'colour', 'blue'],
  ];

  it.each(cases)('%s → field %s (value %j)', (name, field, value) => {
    const error = decodeError(withField(name, value));
    expect(error).toBeInstanceOf(EnvelopeInvalidError);
    expect(error.code).toBe('ENVELOPE_INVALID');
    expect(error.field).toBe(field);
    expect(error.details).toEqual({ field });
  });

  it.each([
    'v',
    'id',
    'task',
    'args',
    'queue',
    'priority',
    'attempt',
    'maxRetries',
    'createdAt',
    'headers',
  ])('a missing required field %s is named', (field) => {
    const { [field as keyof Envelope]: _removed, ...rest } = MINIMAL;
    const error = decodeError(JSON.stringify(rest));
    expect(error.code).toBe('ENVELOPE_INVALID');
    expect(error.field).toBe(field);
  });

  it.each([
    ['not JSON', '{"v":1,'],
    ['a JSON array', '[1,2]'],
    ['a JSON string', '"envelope"'],
    ['JSON null', 'null'],
    ['a byte order mark', `\uFEFF${JSON.stringify(MINIMAL)}`],
  ])('%s is rejected with field $', (_label, text) => {
    const error = decodeError(text);
    expect(error.code).toBe('ENVELOPE_INVALID');
    expect(error.field).toBe('$');
  });

  it('rejects bytes that are not UTF-8, naming $', () => {
    const bytes = new TextEncoder().encode(withField('args', 'ab'));
    const broken = Uint8Array.from(bytes);
    broken[broken.indexOf(0x61)] = 0xff;
    const error = decodeError(broken);
    expect(error.code).toBe('ENVELOPE_INVALID');
    expect(error.field).toBe('$');
  });

  it('does not echo the raw input of a syntax error (arguments may hold secrets)', () => {
    const error = decodeError('{"v":1,"args":{"password":"hunter2"');
    expect(error.message).not.toContain('hunter2');
  });

  it('rejects a version above the current one with a clear message', () => {
    const error = decodeError(JSON.stringify({ ...MINIMAL, v: ENVELOPE_VERSION + 1, future: 1 }));
    expect(error.field).toBe('v');
    expect(error.message).toContain(
      `unsupported version ${ENVELOPE_VERSION + 1}, this reader supports up to ${ENVELOPE_VERSION}`,
    );
  });
});

describe('no prototype pollution', () => {
  const polluted = () => ({}) as Record<string, unknown>;

  it.each([
    ['top level', '{"__proto__":{"polluted":true},"v":1}', '__proto__'],
    [
      'in args',
      withField('args', 0).replace('"args":0', '"args":{"__proto__":{"polluted":true}}'),
      'args.__proto__',
    ],
    [
      'nested in arrays',
      withField('args', 0).replace(
        '"args":0',
        '"args":[1,[{"ok":1},{"__proto__":{"polluted":true}}]]',
      ),
      'args[1][1].__proto__',
    ],
    [
      'constructor.prototype',
      withField('args', { constructor: { prototype: { polluted: true } } }),
      'args.constructor',
    ],
    ['a bare prototype key', withField('meta', { x: { prototype: 1 } }), 'meta.x.prototype'],
    [
      'in headers',
      withField('headers', 0).replace('"headers":0', '"headers":{"__proto__":"x"}'),
      'headers.__proto__',
    ],
    ['a top-level constructor', withField('constructor', { polluted: true }), 'constructor'],
  ])('rejects __proto__/constructor/prototype %s', (_label, text, field) => {
    const error = decodeError(text);
    expect(error.code).toBe('ENVELOPE_INVALID');
    expect(error.field).toBe(field);
    expect(error.message).toContain('forbidden key');
    expect(polluted().polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('gives decoded objects the ordinary prototype, so spreading them is safe', () => {
    const decoded = decodeEnvelope(encodeEnvelope(FULL));
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(decoded.args)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(decoded.headers)).toBe(Object.prototype);
    const merged: Record<string, unknown> = { ...decoded.headers, ...(decoded.args as object) };
    expect(merged.polluted).toBeUndefined();
  });
});

describe('size and depth limits', () => {
  const big = { ...MINIMAL, args: 'x'.repeat(2_000) };

  it('refuses to encode an envelope over maxBytes', () => {
    expect(() => encodeEnvelope(big, { maxBytes: 1_000 })).toThrow(
      expect.objectContaining({
        code: 'PAYLOAD_TOO_LARGE',
        details: expect.objectContaining({ maxBytes: 1_000 }),
      }),
    );
  });

  it('refuses to decode text or bytes over maxBytes, counting UTF-8 bytes', () => {
    const text = JSON.stringify(big);
    expect(decodeError(text, { maxBytes: 1_000 }).code).toBe('PAYLOAD_TOO_LARGE');
    expect(decodeError(new TextEncoder().encode(text), { maxBytes: 1_000 }).code).toBe(
      'PAYLOAD_TOO_LARGE',
    );
    // 400 three-byte characters: 400 UTF-16 units but 1,200 bytes.
    const wide = JSON.stringify({ ...MINIMAL, args: '€'.repeat(400) });
    expect(wide.length).toBeLessThan(1_000);
    expect(decodeError(wide, { maxBytes: 1_000 }).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('checks size before parsing: an oversized non-JSON input is PAYLOAD_TOO_LARGE', () => {
    expect(decodeError('{'.repeat(DEFAULT_ENVELOPE_LIMITS.maxBytes + 1)).code).toBe(
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('accepts nesting up to maxDepth and names the path one level beyond it', () => {
    const nested = (levels: number): unknown => {
      let value: unknown = 1;
      for (let i = 0; i < levels; i += 1) value = [value];
      return value;
    };
    expect(decodeEnvelope(withField('args', nested(4)), { maxDepth: 4 }).args).toEqual(nested(4));
    const error = decodeError(withField('args', nested(5)), { maxDepth: 4 });
    expect(error.field).toBe('args[0][0][0][0]');
    expect(error.message).toContain('deeper than the limit of 4');
  });

  it('gives the typed error, not a RangeError, for 100,000 levels of nesting', () => {
    const levels = 100_000;
    const deep = `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const text = withField('args', 0).replace('"args":0', `"args":${deep}`);
    const error = decodeError(text);
    expect(error.code).toBe('ENVELOPE_INVALID');
    expect(error.field?.startsWith('args[0]')).toBe(true);
    const inMeta = withField('meta', {}).replace('"meta":{}', `"meta":{"a":${deep}}`);
    expect(decodeError(inMeta).field?.startsWith('meta.a[0]')).toBe(true);
  });
});
