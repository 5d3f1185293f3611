/** Next fire of a clocked spec: its one instant, until that instant has passed. */
import type { ClockedSpec } from '@stem/core';

/** `spec.runAt` when it lies strictly after `after`, otherwise undefined (never again). */
export function nextClockedOccurrence(spec: ClockedSpec, after: number): number | undefined {
  return spec.runAt > after ? spec.runAt : undefined;
}
