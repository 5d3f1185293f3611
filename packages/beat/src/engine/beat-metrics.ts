/**
 * Counters a beat keeps since it started, read as a plain snapshot object (export it
 * to Prometheus, StatsD or logs as you like). Main thread.
 */

export interface BeatMetricsSnapshot {
  /** Due entries seen by `due()` queries (an entry seen on two ticks counts twice). */
  due: number;
  /** Occurrences this beat claimed and published on schedule or in catch-up. */
  fired: number;
  /** Occurrences skipped by an overlap policy (recorded in history). */
  skipped: number;
  /** Occurrences recorded as missed by a recovery policy. */
  missed: number;
  /** Occurrences held back because the previous run still ran (queue-one). */
  queued: number;
  /** Late fires past `driftWarnMs` whose next run was taken from the schedule. */
  driftCorrections: number;
  /** Occurrences another beat's claim held when this one tried. */
  claimsLost: number;
  /** Orphaned occurrences this beat's reaper took over and published. */
  reaped: number;
  /** Publishes given up because this beat was paused past its publish budget. */
  abandoned: number;
  /** Publish or store failures (the occurrence stays claimed for the reaper). */
  errors: number;
  /** Change notifications received. */
  changes: number;
  /** Claim-to-published latency of this beat's fires: count, total and max ms. */
  fireDurationMs: { count: number; totalMs: number; maxMs: number };
}

export function emptyBeatMetrics(): BeatMetricsSnapshot {
  return {
    due: 0,
    fired: 0,
    skipped: 0,
    missed: 0,
    queued: 0,
    driftCorrections: 0,
    claimsLost: 0,
    reaped: 0,
    abandoned: 0,
    errors: 0,
    changes: 0,
    fireDurationMs: { count: 0, totalMs: 0, maxMs: 0 },
  };
}

export function recordFireDuration(metrics: BeatMetricsSnapshot, durationMs: number): void {
  const stats = metrics.fireDurationMs;
  stats.count += 1;
  stats.totalMs += durationMs;
  stats.maxMs = Math.max(stats.maxMs, durationMs);
}
