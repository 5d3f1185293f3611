import type { SolarSpec } from '@stem/core';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { nextOccurrence, nextOccurrences } from '../src/index';
import { solarDay } from '../src/spec/next-solar-occurrence';

const TROMSO = { latitude: 69.6492, longitude: 18.9553 };
const zone = 'Europe/Oslo';
const at = (iso: string) => DateTime.fromISO(iso, { zone }).toMillis();
const local = (ms: number | undefined) =>
  ms === undefined ? undefined : DateTime.fromMillis(ms, { zone }).toISO();

describe('solar events above the Arctic circle', () => {
  it('finds no sunset during the midnight sun and fires at the first one after it, in late July', () => {
    const sunset: SolarSpec = { kind: 'solar', event: 'sunset', ...TROMSO };
    const next = nextOccurrence(sunset, { after: at('2024-06-21T12:00'), timezone: zone });
    // Tromsø's midnight sun lasts until about 26 July; the first sunset is just after midnight.
    expect(next).toBeGreaterThan(at('2024-07-25T12:00'));
    expect(next).toBeLessThan(at('2024-07-26T12:00'));
    // Every following occurrence is about a day later, the sun setting before midnight from the 27th.
    const following = nextOccurrences(sunset, { after: next!, timezone: zone }, 2).map(local);
    expect(following[0]).toMatch(/^2024-07-27T00:/);
    expect(following[1]).toMatch(/^2024-07-27T23:/);
  });

  it('finds no sunrise during the polar night and fires at the first one in January', () => {
    const sunrise: SolarSpec = { kind: 'solar', event: 'sunrise', ...TROMSO };
    const next = nextOccurrence(sunrise, { after: at('2024-12-01T00:00'), timezone: zone });
    // The polar night in Tromsø ends around 15 January, with sunrise close to solar noon (~11:45).
    expect(local(next)).toMatch(/^2025-01-1[4-6]T11:/);
  });

  it('still has a solar noon every day of the polar night', () => {
    const noon: SolarSpec = { kind: 'solar', event: 'solarNoon', ...TROMSO };
    const days = nextOccurrences(noon, { after: at('2024-12-20T00:00'), timezone: zone }, 3).map(
      local,
    );
    expect(days.map((iso) => iso!.slice(0, 13))).toEqual([
      '2024-12-20T11',
      '2024-12-21T11',
      '2024-12-22T11',
    ]);
  });

  it('applies the offset to the event (30 minutes before sunset)', () => {
    const plain: SolarSpec = { kind: 'solar', event: 'sunset', latitude: 51.5, longitude: -0.13 };
    const after = Date.parse('2024-10-01T00:00:00Z');
    const sunset = nextOccurrence(plain, { after, timezone: 'Europe/London' })!;
    const early = nextOccurrence(
      { ...plain, offsetMs: -1_800_000 },
      { after, timezone: 'Europe/London' },
    );
    expect(early).toBe(sunset - 1_800_000);
    // The zone names the day, not the instant: the same spec in another zone fires at the same time.
    expect(nextOccurrence(plain, { after, timezone: 'Asia/Tokyo' })).toBe(sunset);
  });

  it('computes a place and day once, then answers from the cache', () => {
    const day = Math.floor(Date.parse('2024-07-01T00:00:00Z') / 86_400_000);
    expect(solarDay(TROMSO.latitude, TROMSO.longitude, day)).toBe(
      solarDay(TROMSO.latitude, TROMSO.longitude, day),
    );
    expect(solarDay(TROMSO.latitude, TROMSO.longitude, day).sunset).toBeUndefined();
  });
});
