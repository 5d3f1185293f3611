/**
 * Fuzzes decodeEnvelope with random JSON, random bytes and mutations of valid
 * envelopes. Every input must either decode to an envelope that survives a second
 * round trip unchanged, or throw a StemError coded ENVELOPE_INVALID or
 * PAYLOAD_TOO_LARGE. Replay a failing run with STEM_FUZZ_SEED=<seed from the test name>.
 */
import { isDeepStrictEqual } from 'node:util';
import { decodeEnvelope, type EnvelopeLimits, encodeEnvelope, StemError } from '@stem/core';
import { describe, expect, it } from 'vitest';

const SEED = Number(process.env.STEM_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 32));
const CASES = 12_000;

/** mulberry32: a tiny seeded generator, good enough to pick mutations reproducibly. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Random = ReturnType<typeof createRandom>;

const NAME_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-';
const TRICKY_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '',
  'a b',
  'v',
];
const BOUNDARY_VALUES: readonly unknown[] = [
  0,
  -0,
  -1,
  1,
  9,
  10,
  1.5,
  2 ** 53,
  2 ** 53 - 1,
  8.64e15,
  8.64e15 + 1,
  1e308,
  '',
  'x',
  '1',
  null,
  true,
  [],
  {},
  [1],
  { a: 'b' },
];
const HUGE_NUMBERS = ['1e999', '-1e999', '123456789012345678901234567890', '1e-400', '-0', '1E2'];

function randomText(random: Random, safe: boolean): string {
  let text = '';
  for (let i = random.int(0, 12); i > 0; i -= 1) {
    const kind = random.int(0, safe ? 3 : 5);
    if (kind <= 1) text += random.pick([...NAME_CHARS]);
    else if (kind === 2) text += String.fromCodePoint(random.int(0x80, 0xd7ff));
    else if (kind === 3) text += String.fromCodePoint(random.int(0x10000, 0x10ffff));
    else if (kind === 4) text += String.fromCharCode(random.int(0xd800, 0xdfff));
    else text += random.pick(['"', '\\', '\n', '\u0000', '\u2028', '\uFEFF']);
  }
  return text;
}

function randomName(random: Random, length = random.int(1, 20)): string {
  let name = random.pick([...'abcxyz_0']);
  while (name.length < length) name += random.pick([...NAME_CHARS]);
  return name;
}

/** A random JSON value; with `safe`, one a valid envelope may carry as args or meta. */
function randomJson(random: Random, safe: boolean, depth = 0): unknown {
  const kind = random.int(0, depth > 4 ? 3 : 5);
  if (kind === 0) return random.pick([null, true, false]);
  if (kind === 1) return random.chance(0.5) ? random.int(-1e6, 1e6) : (random.next() - 0.5) * 1e12;
  if (kind === 2 || kind === 3) return randomText(random, safe);
  if (kind === 4) {
    return Array.from({ length: random.int(0, 4) }, () => randomJson(random, safe, depth + 1));
  }
  const object: Record<string, unknown> = {};
  for (let i = random.int(0, 4); i > 0; i -= 1) {
    const key = !safe && random.chance(0.1) ? random.pick(TRICKY_KEYS) : randomName(random);
    // defineProperty, because `object.__proto__ = x` would set the prototype, not a key.
    Object.defineProperty(object, key, {
      value: randomJson(random, safe, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return object;
}

function randomEnvelope(random: Random): Record<string, unknown> {
  const envelope: Record<string, unknown> = {
    v: 1,
    id: randomName(random, random.int(1, 40)),
    task: randomName(random),
    args: randomJson(random, true),
    queue: randomName(random, random.int(1, 12)),
    priority: random.int(0, 9),
    attempt: random.int(1, 5),
    maxRetries: random.int(0, 5),
  };
  const timestamp = () => random.int(0, 2_000_000_000_000);
  const optional: Array<[string, () => unknown]> = [
    ['notBeforeAt', timestamp],
    ['expiresAt', timestamp],
    ['softTimeLimitMs', () => random.int(1, 100_000)],
    ['hardTimeLimitMs', () => random.int(1, 100_000)],
    ['idempotencyKey', () => `key-${randomText(random, true)}`],
    ['parentId', () => randomName(random)],
    ['rootId', () => randomName(random)],
    ['groupId', () => randomName(random)],
    ['groupIndex', () => random.int(0, 50)],
    ['trace', () => ({ traceparent: randomName(random, 55) })],
  ];
  for (const [field, make] of optional) if (random.chance(0.3)) envelope[field] = make();
  envelope.createdAt = timestamp();
  envelope.headers = random.chance(0.5) ? {} : { [randomName(random)]: randomText(random, true) };
  if (random.chance(0.3)) envelope.meta = { chain: randomJson(random, true) };
  return envelope;
}

type ObjectMutation = (random: Random, envelope: Record<string, unknown>) => void;
type TextMutation = (random: Random, text: string) => string;

const randomKey = (random: Random, envelope: Record<string, unknown>) =>
  random.pick(Object.keys(envelope));

const OBJECT_MUTATIONS: Record<string, ObjectMutation> = {
  deleteField: (random, envelope) => {
    delete envelope[randomKey(random, envelope)];
  },
  changeType: (random, envelope) => {
    envelope[randomKey(random, envelope)] = randomJson(random, false);
  },
  boundaryValue: (random, envelope) => {
    envelope[randomKey(random, envelope)] = random.pick(BOUNDARY_VALUES);
  },
  swapValues: (random, envelope) => {
    const [a, b] = [randomKey(random, envelope), randomKey(random, envelope)];
    [envelope[a], envelope[b]] = [envelope[b], envelope[a]];
  },
  unknownField: (random, envelope) => {
    envelope[randomName(random)] = randomJson(random, true);
  },
  unicodeArgs: (random, envelope) => {
    envelope.args = { text: randomText(random, false) };
  },
};

const TEXT_MUTATIONS: Record<string, TextMutation> = {
  garbage: (random, text) => insertAt(random, text, randomText(random, false)),
  truncate: (random, text) => text.slice(0, random.int(0, text.length)),
  flipChar: (random, text) => {
    const at = random.int(0, text.length - 1);
    return text.slice(0, at) + String.fromCharCode(random.int(0, 0x7f)) + text.slice(at + 1);
  },
  duplicateKey: (random, text) => {
    const pair = `"${random.pick(['v', 'id', 'priority', 'attempt', 'args', 'queue'])}":${JSON.stringify(random.pick(BOUNDARY_VALUES))}`;
    return random.chance(0.5) ? `{${pair},${text.slice(1)}` : `${text.slice(0, -1)},${pair}}`;
  },
  hugeNumber: (random, text) => {
    const digits = [...text.matchAll(/-?\d+(\.\d+)?/g)];
    if (digits.length === 0) return text;
    const match = random.pick(digits);
    const at = match.index ?? 0;
    return text.slice(0, at) + random.pick(HUGE_NUMBERS) + text.slice(at + match[0].length);
  },
  protoKey: (random, text) => {
    const braces = [...text.matchAll(/\{/g)].map((match) => match.index ?? 0);
    const at = random.pick(braces) + 1;
    const key = random.pick(['__proto__', 'constructor', 'prototype']);
    return `${text.slice(0, at)}"${key}":{"polluted":true},${text.slice(at)}`;
  },
  unicodeEscape: (random, text) =>
    insertAt(random, text, random.pick(['\\ud800', '\\udc00x', '\\u0000', '😀', '\\u2028', 'é'])),
  deepNesting: (random, text) => {
    const levels = random.chance(0.05) ? 100_000 : random.int(25, 40);
    const [open, close] = random.chance(0.5) ? ['[', ']'] : ['{"a":', '}'];
    return text.replace(/"args":/, `"args":${open.repeat(levels)}1${close.repeat(levels)},"_":`);
  },
};

function insertAt(random: Random, text: string, insert: string): string {
  const at = random.int(0, text.length);
  return text.slice(0, at) + insert + text.slice(at);
}

interface FuzzCase {
  label: string;
  input: string | Uint8Array;
  limits?: Partial<EnvelopeLimits>;
}

function mutatedCase(random: Random): FuzzCase {
  const envelope = randomEnvelope(random);
  const applied: string[] = [];
  for (let i = random.int(0, 2); i > 0; i -= 1) {
    const name = random.pick(Object.keys(OBJECT_MUTATIONS));
    OBJECT_MUTATIONS[name]?.(random, envelope);
    applied.push(name);
  }
  let text = JSON.stringify(envelope);
  for (let i = random.int(0, 2); i > 0; i -= 1) {
    const name = random.pick(Object.keys(TEXT_MUTATIONS));
    text = TEXT_MUTATIONS[name]?.(random, text) ?? text;
    applied.push(name);
  }
  const label = `mutated [${applied.join(', ') || 'none'}]`;
  if (random.chance(0.1)) {
    const bytes = new TextEncoder().encode(text);
    if (bytes.length > 0) bytes[random.int(0, bytes.length - 1)] = random.int(0, 255);
    return { label: `${label} + byte flip`, input: bytes };
  }
  return random.chance(0.1)
    ? { label, input: text, limits: { maxBytes: 300 } }
    : { label, input: text };
}

function nextCase(random: Random): FuzzCase {
  const roll = random.next();
  if (roll < 0.15)
    return { label: 'random JSON', input: JSON.stringify(randomJson(random, false)) ?? '' };
  if (roll < 0.3) {
    const bytes = Uint8Array.from({ length: random.int(0, 200) }, () => random.int(0, 255));
    return {
      label: 'random bytes',
      input: random.chance(0.5) ? bytes : Buffer.from(bytes).toString('latin1'),
    };
  }
  return mutatedCase(random);
}

function preview(input: string | Uint8Array): string {
  return typeof input === 'string'
    ? JSON.stringify(input.slice(0, 400))
    : `bytes ${Buffer.from(input.subarray(0, 200)).toString('hex')}`;
}

describe('envelope decoder fuzzing', () => {
  it(`decodes ${CASES} random and mutated envelopes with only typed errors (seed ${SEED})`, () => {
    const random = createRandom(SEED);
    const outcomes = { decoded: 0, ENVELOPE_INVALID: 0, PAYLOAD_TOO_LARGE: 0 };
    for (let index = 0; index < CASES; index += 1) {
      const fuzz = nextCase(random);
      const where = `seed ${SEED}, case ${index} (${fuzz.label}): ${preview(fuzz.input)}`;
      let decoded: unknown;
      try {
        decoded = decodeEnvelope(fuzz.input, fuzz.limits);
      } catch (error) {
        const code = error instanceof StemError ? error.code : undefined;
        if (code !== 'ENVELOPE_INVALID' && code !== 'PAYLOAD_TOO_LARGE') {
          expect.fail(`unexpected ${String(error)} at ${where}`);
        }
        outcomes[code] += 1;
        continue;
      }
      outcomes.decoded += 1;
      let again: unknown;
      try {
        again = decodeEnvelope(encodeEnvelope(decoded as Parameters<typeof encodeEnvelope>[0]));
      } catch (error) {
        expect.fail(`a decoded envelope failed to round-trip (${String(error)}) at ${where}`);
      }
      if (!isDeepStrictEqual(again, decoded))
        expect.fail(`round trip changed the value at ${where}`);
    }
    expect(outcomes.decoded + outcomes.ENVELOPE_INVALID + outcomes.PAYLOAD_TOO_LARGE).toBe(CASES);
    // Each outcome must really happen, or the fuzzer is not exercising what it claims.
    expect(outcomes.decoded, `seed ${SEED}`).toBeGreaterThan(CASES / 20);
    expect(outcomes.ENVELOPE_INVALID, `seed ${SEED}`).toBeGreaterThan(CASES / 4);
    expect(outcomes.PAYLOAD_TOO_LARGE, `seed ${SEED}`).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
