/**
 * Next fire of a cron spec: the expression is parsed by our own parser (compiled
 * matchers are cached per expression) and walked in the entry's zone under the DST rule
 * of `nextWallTimeOccurrence`.
 */
import type { CronSpec } from '@stem/core';
import { type AmbiguousTimeRule, nextWallTimeOccurrence } from './next-wall-time-occurrence';
import { parseCronExpression } from './parse-cron-expression';
import { createWallTimeMatcher, type WallTimeMatcher } from './wall-time-matcher';
import type { ZoneClock } from './zone-clock';

const MAX_CACHED = 1000;
const matchers = new Map<string, WallTimeMatcher>();

/** The parsed, table-driven form of a cron spec (throws `ScheduleSpecInvalidError`). */
export function compileCronSpec(spec: CronSpec): WallTimeMatcher {
  const dayMatch = spec.dayMatch ?? 'or';
  const key = `${dayMatch} ${spec.expression}`;
  let matcher = matchers.get(key);
  if (matcher === undefined) {
    matcher = createWallTimeMatcher(parseCronExpression(spec.expression, dayMatch));
    if (matchers.size >= MAX_CACHED) matchers.delete(matchers.keys().next().value!);
    matchers.set(key, matcher);
  }
  return matcher;
}

/** The first instant (epoch ms) strictly after `after` at which `spec` fires. */
export function nextCronOccurrence(
  spec: CronSpec,
  after: number,
  clock: ZoneClock,
  ambiguous: AmbiguousTimeRule = 'earlier',
): number | undefined {
  return nextWallTimeOccurrence(compileCronSpec(spec), after, clock, ambiguous);
}
