import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { type AmbiguousTimeRule, nextOccurrences } from '../src/index';

/** Written by scripts/generate-fixtures.py (python3-croniter + zoneinfo); see README. */
interface CronFixture {
  id: string;
  expression: string;
  dayMatch: 'or' | 'and';
  timezone: string;
  after: number;
  ambiguousTime: AmbiguousTimeRule;
  expected: number[];
  croniterAware: number[] | { error: string };
  croniterDivergence?: { categories: string[]; reason: string; details: string[] };
}

const fixtures = JSON.parse(
  readFileSync(new URL('./fixtures/cron.json', import.meta.url), 'utf8'),
) as { source: string; cases: CronFixture[] };

const local = (zone: string) => (ms: number) =>
  DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true });

describe(`cron next-fire times match ${fixtures.source}`, () => {
  it('has cases in every zone the acceptance criteria name', () => {
    const zones = new Set(fixtures.cases.map((fixture) => fixture.timezone));
    for (const zone of [
      'America/New_York',
      'Europe/London',
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
    ]) {
      expect(zones).toContain(zone);
    }
  });

  for (const fixture of fixtures.cases) {
    it(`${fixture.id}: ${fixture.expression} (${fixture.dayMatch}, ${fixture.ambiguousTime}) in ${fixture.timezone}`, () => {
      const actual = nextOccurrences(
        { kind: 'cron', expression: fixture.expression, dayMatch: fixture.dayMatch },
        { after: fixture.after, timezone: fixture.timezone, ambiguousTime: fixture.ambiguousTime },
        fixture.expected.length,
      );
      // Compared as local ISO strings so a failure reads as wall-clock times.
      expect(actual.map(local(fixture.timezone))).toEqual(
        fixture.expected.map(local(fixture.timezone)),
      );
    });
  }

  it('records a reason for every case where croniter’s own time-zone handling disagrees', () => {
    for (const fixture of fixtures.cases) {
      const agrees = JSON.stringify(fixture.croniterAware) === JSON.stringify(fixture.expected);
      if (agrees) {
        expect(fixture.croniterDivergence, fixture.id).toBeUndefined();
      } else {
        expect(fixture.croniterDivergence?.reason, fixture.id).toMatch(/\w/);
        expect(fixture.croniterDivergence?.details.length, fixture.id).toBeGreaterThan(0);
      }
    }
  });
});
