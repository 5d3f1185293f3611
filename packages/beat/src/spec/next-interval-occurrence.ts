/**
 * Next fire of an interval spec: a fixed grid of real-time instants anchored on
 * `startAt` (or, without it, on the anchor the caller passes, normally the entry's
 * `createdAt`), so late runs never make the schedule drift. Time zones play no part:
 * an interval of 24 h is 24 real hours, also across DST changes.
 */
import type { IntervalSpec } from '@stem/core';

/**
 * The first grid instant strictly after `after`, or undefined once the grid has passed
 * `endAt` (inclusive). With `startAt` the grid is startAt + k·everyMs, k >= 0 (the first
 * run is at `startAt`); without it, anchorAt + k·everyMs, k >= 1 (the first run is one
 * interval after the anchor).
 * @param anchorAt grid origin when the spec has no `startAt`, epoch ms. @default 0
 */
export function nextIntervalOccurrence(
  spec: IntervalSpec,
  after: number,
  anchorAt = 0,
): number | undefined {
  const anchor = spec.startAt ?? anchorAt;
  const firstStep = spec.startAt === undefined ? 1 : 0;
  const steps = Math.max(firstStep, Math.floor((after - anchor) / spec.everyMs) + 1);
  const fires = anchor + steps * spec.everyMs;
  if (spec.endAt !== undefined && fires > spec.endAt) return undefined;
  return fires;
}
