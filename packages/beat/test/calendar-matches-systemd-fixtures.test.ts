import { readFileSync } from 'node:fs';
import type { CalendarSpec } from '@stem/core';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { nextOccurrences } from '../src/index';

/** Written by scripts/generate-fixtures.py (`systemd-analyze calendar` + zoneinfo); see README. */
interface CalendarFixture {
  id: string;
  spec: CalendarSpec;
  timezone: string;
  after: number;
  systemdSpec: string;
  expected: number[];
  systemd: number[];
  systemdDivergence?: { category: string; reason: string };
}

const fixtures = JSON.parse(
  readFileSync(new URL('./fixtures/calendar.json', import.meta.url), 'utf8'),
) as { source: string; cases: CalendarFixture[] };

const local = (zone: string) => (ms: number) =>
  DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true });

describe(`calendar next-fire times match ${fixtures.source}`, () => {
  for (const fixture of fixtures.cases) {
    it(`${fixture.id}: ${fixture.systemdSpec}`, () => {
      const actual = nextOccurrences(
        fixture.spec,
        { after: fixture.after, timezone: fixture.timezone },
        fixture.expected.length,
      );
      expect(actual.map(local(fixture.timezone))).toEqual(
        fixture.expected.map(local(fixture.timezone)),
      );
      if (fixture.systemdDivergence === undefined) {
        // No declared difference: systemd's own answer is the reference too.
        expect(actual).toEqual(fixture.systemd);
      } else {
        expect(fixture.systemd).not.toEqual(fixture.expected);
        expect(fixture.systemdDivergence.reason).toMatch(/\w/);
      }
    });
  }
});
