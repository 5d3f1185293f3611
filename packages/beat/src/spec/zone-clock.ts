/**
 * Wall clock of one IANA time zone: the offset in force at an instant, the instants a
 * wall time maps to (none in a spring-forward gap, two in a fall-back overlap) and the
 * instant a transition happens. Wall times are "wall ms": the local date and time
 * written as if it were UTC, so `new Date(wall).getUTCHours()` is the local hour.
 * Offsets come from luxon (which reads the tz database through Intl).
 */
import { IANAZone } from 'luxon';

const HOUR_MS = 3_600_000;

/**
 * Offset samples around a wall time. Offsets lie within -12 h … +14 h, so any instant
 * showing wall time `w` lies in [w - 14 h, w + 12 h]; sampling that window (and a bit
 * more) finds every offset in force there as long as offsets change at most a few
 * times a day, which holds for every zone in the tz database.
 */
const SAMPLE_SHIFTS_MS = [-15, -10, -5, 0, 5, 10, 15].map((hours) => hours * HOUR_MS);

export class ZoneClock {
  readonly name: string;
  private readonly zone: IANAZone;

  /** `name` must already be validated (see `validateTimeZone`). */
  constructor(name: string) {
    this.name = name;
    this.zone = IANAZone.create(name);
  }

  /** UTC offset in force at `instant`, in ms (luxon gives minutes, possibly fractional). */
  offsetMs(instant: number): number {
    return Math.round(this.zone.offset(instant) * 60_000);
  }

  /** The wall ms shown by the zone's clocks at `instant`. */
  wallOf(instant: number): number {
    return instant + this.offsetMs(instant);
  }

  /**
   * Every instant whose wall time is `wall`, ascending: one normally, none when `wall`
   * falls in a spring-forward gap, two when a fall-back repeats it.
   */
  instantsOf(wall: number): number[] {
    const offsets = new Set(SAMPLE_SHIFTS_MS.map((shift) => this.offsetMs(wall + shift)));
    const instants = new Set<number>();
    for (const offset of offsets) {
      const instant = wall - offset;
      if (this.offsetMs(instant) === offset) instants.add(instant);
    }
    return [...instants].sort((a, b) => a - b);
  }

  /**
   * For a wall time inside a spring-forward gap: the first instant after the gap (the
   * moment the clocks jump, whose wall time is the end of the gap).
   */
  gapEndFor(wall: number): number {
    const offsets = SAMPLE_SHIFTS_MS.map((shift) => this.offsetMs(wall + shift));
    const before = Math.min(...offsets);
    const after = Math.max(...offsets);
    // The jump T satisfies T + before <= wall < T + after.
    return this.transitionIn(wall - after, wall - before);
  }

  /**
   * The first instant in (`from`, `to`] whose offset differs from the offset at `from`
   * (a transition), by bisection to the millisecond. Assumes one transition in range.
   */
  transitionIn(from: number, to: number): number {
    const startOffset = this.offsetMs(from);
    let low = from;
    let high = to;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (this.offsetMs(middle) === startOffset) low = middle;
      else high = middle;
    }
    return high;
  }
}
