/**
 * The adapters canvas code runs on, in a producer or inside a worker's after-task hook:
 * core contracts only, so any backend that passes the conformance suites works.
 */
import type { Broker, EventBus, ResultBackend, RevocationStore } from '@stem/core';

export interface CanvasAdapters {
  broker: Broker;
  /** Holds group counters, callback claims and group records. */
  resultBackend: ResultBackend;
  /** Needed for fail-fast to revoke siblings. @default none (siblings then run to the end) */
  revocationStore?: RevocationStore;
  /** Carries revoke requests to workers, so running siblings are aborted. @default none */
  eventBus?: EventBus;
  /** Lifetime of group counters and group records, ms. @default 604_800_000 (7 days) */
  groupTtlMs?: number;
  /** How long fail-fast revocations are kept, ms. @default 86_400_000 (24 h) */
  revocationKeepMs?: number;
}

/** A group counter's lifetime when none is configured: 7 days. */
export const DEFAULT_GROUP_TTL_MS = 604_800_000;
/** How long a revocation is kept when none is configured: 24 h. */
export const DEFAULT_REVOCATION_KEEP_MS = 86_400_000;
