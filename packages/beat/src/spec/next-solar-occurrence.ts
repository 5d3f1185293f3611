/**
 * Next fire of a solar spec, from suncalc. Events are computed per solar day (the day
 * whose solar noon falls nearest noon UTC minus the longitude's time difference) and
 * cached per (latitude, longitude, day). An event the sun does not reach on a day
 * (polar day or night) is absent that day; the search moves on, day by day, for up to
 * `SOLAR_SEARCH_DAYS`, and a spec whose event never happens within a year is refused by
 * validation. The result is an instant: the entry's zone does not change it.
 */
import type { SolarEvent, SolarSpec } from '@stem/core';
import { getTimes, type SunTimeName } from 'suncalc';

const DAY_MS = 86_400_000;
/** How many solar days ahead the search looks; the sun's cycle is one year. */
export const SOLAR_SEARCH_DAYS = 400;
const MAX_CACHED_DAYS = 4096;

/** suncalc's name for each event; solar noon is always present. */
const SUNCALC_NAMES: Record<Exclude<SolarEvent, 'solarNoon'>, SunTimeName> = {
  sunrise: 'sunrise',
  sunset: 'sunset',
  dawn: 'dawn',
  dusk: 'dusk',
  nauticalDawn: 'nauticalDawn',
  nauticalDusk: 'nauticalDusk',
  astronomicalDawn: 'nightEnd',
  astronomicalDusk: 'night',
};

export const SOLAR_EVENTS: readonly SolarEvent[] = [
  'solarNoon',
  ...(Object.keys(SUNCALC_NAMES) as SolarEvent[]),
];

/** Event instants of one solar day, whole seconds; absent when the sun does not get there. */
type SolarDay = Partial<Record<SolarEvent, number>>;

const days = new Map<string, SolarDay>();

/**
 * The instants of every event on solar day `day` (days since 1970-01-01) at a place,
 * computed once and cached (oldest dropped first beyond 4096 days).
 */
export function solarDay(latitude: number, longitude: number, day: number): SolarDay {
  const key = `${latitude}:${longitude}:${day}`;
  const cached = days.get(key);
  if (cached !== undefined) return cached;
  // suncalc anchors on the solar transit nearest the given UTC noon at this longitude.
  const times = getTimes(new Date(day * DAY_MS + DAY_MS / 2), latitude, longitude);
  const result: SolarDay = { solarNoon: toSecond(times.solarNoon) };
  for (const [event, name] of Object.entries(SUNCALC_NAMES)) {
    const at = times[name];
    if (at instanceof Date) result[event as SolarEvent] = toSecond(at);
  }
  if (days.size >= MAX_CACHED_DAYS) days.delete(days.keys().next().value!);
  days.set(key, result);
  return result;
}

/**
 * The first instant (epoch ms) strictly after `after` at which `spec` fires: its event
 * plus `offsetMs`. Undefined when the event does not occur within `SOLAR_SEARCH_DAYS`.
 */
export function nextSolarOccurrence(spec: SolarSpec, after: number): number | undefined {
  const offset = spec.offsetMs ?? 0;
  const eventAfter = after - offset;
  // Start two days early: a solar day's events spread up to ~1.5 days around its date.
  const firstDay = Math.floor(eventAfter / DAY_MS) - 2;
  for (let day = firstDay; day <= firstDay + SOLAR_SEARCH_DAYS; day += 1) {
    const at = solarDay(spec.latitude, spec.longitude, day)[spec.event];
    if (at !== undefined && at > eventAfter) return at + offset;
  }
  return undefined;
}

/**
 * Whether `event` happens at least once in a year at this latitude and longitude (it
 * does not at the poles, where the sun rises and sets once a year rather than daily).
 */
export function solarEventOccurs(event: SolarEvent, latitude: number, longitude: number): boolean {
  if (event === 'solarNoon') return true;
  const key = `${latitude}:${longitude}:${event}`;
  let occurs = occursAnywhere.get(key);
  if (occurs === undefined) {
    occurs = scanReferenceYear(SUNCALC_NAMES[event], latitude, longitude);
    if (occursAnywhere.size >= MAX_CACHED_DAYS)
      occursAnywhere.delete(occursAnywhere.keys().next().value!);
    occursAnywhere.set(key, occurs);
  }
  return occurs;
}

const occursAnywhere = new Map<string, boolean>();

function scanReferenceYear(name: SunTimeName, latitude: number, longitude: number): boolean {
  // A fixed reference year, outside the per-day cache the scheduler uses.
  const firstDay = Date.UTC(2024, 0, 1) / DAY_MS;
  for (let day = firstDay; day < firstDay + 366; day += 1) {
    const times = getTimes(new Date(day * DAY_MS + DAY_MS / 2), latitude, longitude);
    if (times[name] instanceof Date) return true;
  }
  return false;
}

function toSecond(at: Date): number {
  return Math.round(at.getTime() / 1000) * 1000;
}
