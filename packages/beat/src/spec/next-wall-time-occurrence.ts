/**
 * The DST rule shared by cron and calendar specs: turns "the next wall time the fields
 * allow" into "the next instant the entry fires" in one IANA zone.
 *
 * - A wall time skipped by a spring-forward gap fires once, at the first instant after
 *   the gap (New York 02:30 on the spring-forward day fires at 03:00 EDT).
 * - A wall time repeated by a fall-back fires once, at its first occurrence (`earlier`,
 *   the default), at its second (`later`), or at both (`both`).
 */
import { nextMatchingWallTime, type WallTimeMatcher } from './wall-time-matcher';
import type { ZoneClock } from './zone-clock';

/**
 * Which occurrence of a wall time repeated by a fall-back fires. `both` suits jobs that
 * mean "every N minutes of real time" written as cron. @default 'earlier'
 */
export type AmbiguousTimeRule = 'earlier' | 'later' | 'both';

/** The first instant strictly after `after` at which `matcher` fires in `clock`'s zone. */
export function nextWallTimeOccurrence(
  matcher: WallTimeMatcher,
  after: number,
  clock: ZoneClock,
  ambiguous: AmbiguousTimeRule = 'earlier',
): number | undefined {
  if (ambiguous !== 'both') return nextUnder(matcher, after, clock, ambiguous);
  // Firing at both occurrences is the union of the two single-occurrence rules.
  const earlier = nextUnder(matcher, after, clock, 'earlier');
  const later = nextUnder(matcher, after, clock, 'later');
  if (earlier === undefined) return later;
  if (later === undefined) return earlier;
  return Math.min(earlier, later);
}

/**
 * Under `earlier` or `later`, the instant a wall time fires at never decreases as the
 * wall time increases, so the answer is the first allowed wall time, searched from a
 * safe starting wall time, whose instant lies after `after`.
 */
function nextUnder(
  matcher: WallTimeMatcher,
  after: number,
  clock: ZoneClock,
  rule: 'earlier' | 'later',
): number | undefined {
  let from = startingWall(after, clock, rule);
  // Each pass either returns or moves past a wall time (or a whole overlap) that fired
  // at or before `after`; a handful of passes always suffices.
  for (let pass = 0; pass < 16; pass += 1) {
    const wall = nextMatchingWallTime(matcher, from);
    if (wall === undefined) return undefined;
    const instants = clock.instantsOf(wall);
    const fires =
      instants.length === 0
        ? clock.gapEndFor(wall)
        : rule === 'earlier'
          ? instants[0]!
          : instants[instants.length - 1]!;
    if (fires > after) return fires;
    from = wall + 1000;
    if (rule === 'earlier' && instants.length === 2) {
      const transition = clock.transitionIn(instants[0]!, instants[1]!);
      // `after` is in the second pass of a repeated hour: every wall time up to the end
      // of that hour already fired in the first pass, so resume past it.
      if (after >= transition) from = Math.max(from, transition + clock.offsetMs(instants[0]!));
    }
  }
  throw new Error(`internal: no occurrence settled after ${after} in ${clock.name}`);
}

/**
 * A wall time no later than any wall time that fires after `after`. Usually the wall
 * time of `after` itself; under `later`, when `after` is in the first pass of a repeated
 * hour, the start of that hour (its wall times fire again in the second pass).
 */
function startingWall(after: number, clock: ZoneClock, rule: 'earlier' | 'later'): number {
  const wall = clock.wallOf(after);
  if (rule === 'earlier') return wall;
  const instants = clock.instantsOf(wall);
  if (instants.length === 2 && instants[0] === after) {
    const transition = clock.transitionIn(instants[0], instants[1]!);
    return transition + clock.offsetMs(transition);
  }
  return wall;
}
