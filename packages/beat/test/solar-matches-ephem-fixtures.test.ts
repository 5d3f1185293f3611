import { readFileSync } from 'node:fs';
import type { SolarSpec } from '@stem/core';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { nextOccurrences } from '../src/index';

/** Written by scripts/generate-fixtures.py (python3-ephem); see README. */
interface SolarFixture {
  id: string;
  spec: SolarSpec;
  timezone: string;
  after: number;
  expected: number[];
  toleranceSeconds: number;
  toleranceReason?: string;
}

const fixtures = JSON.parse(
  readFileSync(new URL('./fixtures/solar.json', import.meta.url), 'utf8'),
) as { source: string; cases: SolarFixture[] };

/** Beyond this a case must say why (suncalc and ephem agree within seconds elsewhere). */
const DEFAULT_TOLERANCE_S = 30;

describe(`solar next-fire times agree with ${fixtures.source}`, () => {
  for (const fixture of fixtures.cases) {
    it(`${fixture.id}: ${fixture.spec.event} at ${fixture.spec.latitude}, ${fixture.spec.longitude}`, () => {
      if (fixture.toleranceSeconds > DEFAULT_TOLERANCE_S)
        expect(fixture.toleranceReason).toMatch(/\w/);
      const actual = nextOccurrences(
        fixture.spec,
        { after: fixture.after, timezone: fixture.timezone },
        fixture.expected.length,
      );
      expect(actual).toHaveLength(fixture.expected.length);
      actual.forEach((fires, index) => {
        const reference = fixture.expected[index]!;
        const show = (ms: number) => DateTime.fromMillis(ms, { zone: fixture.timezone }).toISO();
        const gapSeconds = Math.abs(fires - reference) / 1000;
        expect(
          gapSeconds,
          `#${index}: ours ${show(fires)}, ephem ${show(reference)}`,
        ).toBeLessThanOrEqual(fixture.toleranceSeconds);
      });
    });
  }
});
