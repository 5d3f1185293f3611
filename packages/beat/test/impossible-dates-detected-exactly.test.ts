import { describe, expect, it } from 'vitest';
import { parseCronExpression } from '../src/index';

const DAY_MS = 86_400_000;

describe('an impossible day is detected by rule, and the rule is exact', () => {
  it('relies on a fact checked here: every (month, day) falls on every weekday over 400 years', () => {
    const weekdaysOf = new Map<string, Set<number>>();
    const start = Date.UTC(2000, 0, 1);
    for (let day = 0; day < 146_097; day += 1) {
      const at = new Date(start + day * DAY_MS);
      const key = `${at.getUTCMonth() + 1}-${at.getUTCDate()}`;
      if (!weekdaysOf.has(key)) weekdaysOf.set(key, new Set());
      weekdaysOf.get(key)!.add(at.getUTCDay());
    }
    expect(weekdaysOf.size).toBe(366);
    for (const [key, weekdays] of weekdaysOf) expect(weekdays.size, key).toBe(7);
  });

  it('accepts every month/day pair the calendar has and refuses every one it lacks', () => {
    const lengths = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    for (let month = 1; month <= 12; month += 1) {
      for (let day = 1; day <= 31; day += 1) {
        const parse = () => parseCronExpression(`0 0 ${day} ${month} mon`, 'and');
        if (day <= lengths[month - 1]!) expect(parse, `${month}/${day}`).not.toThrow();
        else expect(parse, `${month}/${day}`).toThrow(/can never fire/);
      }
    }
  });
});
