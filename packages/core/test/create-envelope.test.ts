import {
  type CreateEnvelopeInput,
  createEnvelope,
  decodeEnvelope,
  defineTask,
  ENVELOPE_VERSION,
  type Envelope,
  encodeEnvelope,
  type JsonValue,
  StemError,
} from '@stem/core';
import { describe, expect, it } from 'vitest';

/** Runs `action` and returns the StemError it must throw. */
function stemError(action: () => unknown): StemError & { field?: string } {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(StemError);
    return error as StemError & { field?: string };
  }
  throw new Error('expected a StemError, nothing was thrown');
}

// Values are cast: the point is what happens when untyped code passes them anyway.
const asJson = (value: unknown) => value as JsonValue;

describe('createEnvelope', () => {
  it('fills in the documented defaults', () => {
    const before = Date.now();
    const envelope = createEnvelope({ task: 'email.send', args: { to: 'ada' } });
    const after = Date.now();
    expect(envelope).toEqual({
      v: ENVELOPE_VERSION,
      id: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      ),
      task: 'email.send',
      args: { to: 'ada' },
      queue: 'default',
      priority: 0,
      attempt: 1,
      maxRetries: 3,
      createdAt: expect.any(Number),
      headers: {},
    });
    expect(envelope.createdAt).toBeGreaterThanOrEqual(before);
    expect(envelope.createdAt).toBeLessThanOrEqual(after);
    expect(createEnvelope({ task: 'a', args: null }).id).not.toBe(envelope.id);
  });

  it('keeps every given field and omits the undefined ones, so it round-trips exactly', () => {
    const input: CreateEnvelopeInput = {
      task: 'report.build',
      args: [1, 'two'],
      queue: 'reports',
      id: 'r-1',
      priority: 9,
      attempt: 2,
      maxRetries: 0,
      notBeforeAt: 10,
      expiresAt: 20,
      softTimeLimitMs: 1,
      hardTimeLimitMs: 2,
      idempotencyKey: 'k',
      parentId: 'p',
      rootId: 'r',
      groupId: 'g',
      groupIndex: 0,
      trace: { traceparent: 't' },
      headers: { h: 'v' },
      meta: { m: [true] },
      createdAt: 5,
    };
    expect(createEnvelope(input)).toEqual({ v: ENVELOPE_VERSION, ...input });
    const sparse = createEnvelope({ task: 'a', args: 1, expiresAt: undefined, meta: undefined });
    expect(Object.keys(sparse)).not.toContain('expiresAt');
    expect(Object.keys(sparse)).not.toContain('meta');
    expect(decodeEnvelope(encodeEnvelope(sparse))).toStrictEqual(sparse);
  });

  it('copies args and headers, so later changes to the input do not leak in', () => {
    const args = { list: [1] };
    const headers = { a: 'b' };
    const envelope = createEnvelope({ task: 'a', args, headers });
    args.list.push(2);
    headers.a = 'changed';
    expect(envelope.args).toEqual({ list: [1] });
    expect(envelope.headers).toEqual({ a: 'b' });
  });

  it('allows the same object twice (shared, not cyclic)', () => {
    const shared = { x: 1 };
    expect(createEnvelope({ task: 'a', args: { p: shared, q: [shared] } }).args).toEqual({
      p: { x: 1 },
      q: [{ x: 1 }],
    });
  });

  it('rejects an unknown input key rather than dropping it', () => {
    const input = { task: 'a', args: null, colour: 'blue' } as CreateEnvelopeInput;
    expect(stemError(() => createEnvelope(input)).field).toBe('colour');
  });

  it('validates the fields it is given', () => {
    expect(stemError(() => createEnvelope({ task: 'a', args: null, priority: 12 })).field).toBe(
      'priority',
    );
    expect(stemError(() => createEnvelope({ task: 'bad name', args: null })).field).toBe('task');
  });

  it('accepts exactly the task names defineTask accepts', () => {
    const names = [
      'a',
      'email.send',
      'ns:task-1',
      '_x',
      'x'.repeat(200),
      'x'.repeat(201),
      '',
      '.a',
      'a b',
      'é',
      'a/b',
      '-a',
    ];
    for (const name of names) {
      let definable = true;
      try {
        defineTask({ name, run: () => undefined });
      } catch {
        definable = false;
      }
      let creatable = true;
      try {
        createEnvelope({ task: name, args: null });
      } catch {
        creatable = false;
      }
      expect({ name, creatable }).toEqual({ name, creatable: definable });
    }
  });
});

describe('arguments must be strict JSON, and the error names the path', () => {
  class Point {
    x = 1;
  }
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = { back: cyclic };
  const withHole = [1, 2, 3];
  withHole[5] = 6;
  const extraProperty = Object.assign([1], { note: 'x' });
  const getter = Object.defineProperty({}, 'when', { get: () => 1, enumerable: true });

  const cases: Array<[string, unknown, string]> = [
    ['undefined', { items: [0, 1, 2, { when: undefined }] }, 'args.items[3].when'],
    ['a function', { f: () => 1 }, 'args.f'],
    ['a symbol', [Symbol('s')], 'args[0]'],
    ['a bigint', { n: 10n }, 'args.n'],
    ['NaN', { n: Number.NaN }, 'args.n'],
    ['Infinity', { n: [Number.POSITIVE_INFINITY] }, 'args.n[0]'],
    ['a Date', { items: [0, 1, 2, { when: new Date(0) }] }, 'args.items[3].when'],
    ['a Map', { m: new Map() }, 'args.m'],
    ['a Set', { s: new Set([1]) }, 'args.s'],
    ['a class instance', { p: new Point() }, 'args.p'],
    ['a sparse array', { list: withHole }, 'args.list[3]'],
    ['an array with extra properties', { list: extraProperty }, 'args.list'],
    ['a cycle', cyclic, 'args.self.back'],
    ['an accessor', getter, 'args.when'],
    ['a symbol key', { [Symbol('k')]: 1 }, 'args'],
    ['a lone surrogate key', { 'a\uDC00': 1 }, 'args["a\\udc00"]'],
  ];

  it.each(cases)('%s', (_label, args, field) => {
    const error = stemError(() => createEnvelope({ task: 'a', args: asJson(args) }));
    expect(error.code).toBe('ENVELOPE_INVALID');
    expect(error.field).toBe(field);
  });

  it('is enforced by encodeEnvelope too', () => {
    const envelope = createEnvelope({ task: 'a', args: null });
    const tampered: Envelope = { ...envelope, args: asJson({ when: new Date(0) }) };
    const error = stemError(() => encodeEnvelope(tampered));
    expect(error.code).toBe('ENVELOPE_INVALID');
    expect(error.field).toBe('args.when');
  });

  it('accepts a null-prototype object as a plain object', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    const envelope = createEnvelope({ task: 'a', args: asJson(bare) });
    expect(envelope.args).toEqual({ a: 1 });
    expect(Object.getPrototypeOf(envelope.args)).toBe(Object.prototype);
  });
});
