import type { ScheduleSpec } from '@stem/core';
import { describe, expect, it } from 'vitest';
import { nextOccurrence, nextOccurrences } from '../src/index';

const T0 = Date.parse('2024-05-01T09:00:00Z');
const MINUTE = 60_000;
const next = (spec: ScheduleSpec, after: number, anchorAt?: number) =>
  nextOccurrence(spec, {
    after,
    timezone: 'Europe/London',
    ...(anchorAt === undefined ? {} : { anchorAt }),
  });

describe('interval specs keep a fixed grid; clocked specs fire once', () => {
  it('starts at startAt and stays on its grid however late the previous run was', () => {
    const spec: ScheduleSpec = { kind: 'interval', everyMs: 5 * MINUTE, startAt: T0 };
    expect(next(spec, T0 - 1)).toBe(T0);
    expect(next(spec, T0)).toBe(T0 + 5 * MINUTE);
    // A run that happened 2m13s late does not push the next one back.
    expect(next(spec, T0 + 5 * MINUTE + 133_000)).toBe(T0 + 10 * MINUTE);
    expect(next(spec, T0 - 3 * 86_400_000)).toBe(T0);
  });

  it('anchors on the given anchor (the entry’s createdAt) when there is no startAt', () => {
    const spec: ScheduleSpec = { kind: 'interval', everyMs: 7 * MINUTE };
    const createdAt = T0 + 42_000;
    expect(next(spec, createdAt, createdAt)).toBe(createdAt + 7 * MINUTE);
    expect(next(spec, createdAt + 20 * MINUTE, createdAt)).toBe(createdAt + 21 * MINUTE);
  });

  it('stops after endAt, which is inclusive', () => {
    const spec: ScheduleSpec = {
      kind: 'interval',
      everyMs: 10 * MINUTE,
      startAt: T0,
      endAt: T0 + 20 * MINUTE,
    };
    expect(nextOccurrences(spec, { after: T0 - 1, timezone: 'UTC' }, 10)).toEqual([
      T0,
      T0 + 10 * MINUTE,
      T0 + 20 * MINUTE,
    ]);
  });

  it('fires a clocked spec once, at its instant, and never again', () => {
    const spec: ScheduleSpec = { kind: 'clocked', runAt: T0 };
    expect(nextOccurrences(spec, { after: T0 - 1000, timezone: 'UTC' }, 3)).toEqual([T0]);
    expect(next(spec, T0)).toBeUndefined();
  });
});
