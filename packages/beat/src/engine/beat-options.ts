/**
 * Options of a Beat, their defaults, and the resolved form the engine reads.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ResultBackend, ScheduleStore, Stem } from '@stem/core';
import { type BeatClock, systemClock } from './beat-clock';
import { type BeatLogger, consoleBeatLogger } from './beat-logger';

export interface BeatOptions {
  store: ScheduleStore;
  /** Publishes the scheduled tasks (enqueueByName with the entry's args and queue). */
  stem: Stem;
  /** Asked by the skip and queue-one overlap policies. @default stem.resultBackend */
  resultBackend?: ResultBackend;
  /** Names this beat in claims and logs. @default `beat:<host>:<pid>:<random>` */
  instanceId?: string;
  /** @default systemClock() */
  clock?: BeatClock;
  /** @default consoleBeatLogger (warnings and errors only) */
  logger?: BeatLogger;
  /** Due entries read per store call. @default 100 */
  batchSize?: number;
  /** Due entries processed at once. @default 8 */
  concurrency?: number;
  /** An occurrence later than this is missed, and its recovery policy applies, ms. @default 60_000 */
  misfireGraceMs?: number;
  /** An unpublished claim this old (store clock) is taken over by a reaper, ms. @default 30_000 */
  reaperGraceMs?: number;
  /** Time between reaper passes, ms. @default reaperGraceMs / 2 */
  reaperIntervalMs?: number;
  /**
   * A beat publishes a claimed occurrence only this soon after claiming it (measured on
   * the monotonic clock, so a SIGSTOP counts), ms. Must stay below reaperGraceMs.
   * @default reaperGraceMs / 3
   */
  publishBudgetMs?: number;
  /** Longest sleep: how often entries are re-read without notifications, ms. @default 5_000 */
  pollIntervalMs?: number;
  /** Wait after losing a claim before looking at that entry again, ms. @default 1_000 */
  claimLostBackoffMs?: number;
  /** How often a queue-one entry re-checks its running predecessor, ms. @default 1_000 */
  overlapPollMs?: number;
  /** A fire whose task has no terminal result after this long counts as finished, ms. @default 3_600_000 */
  overlapStaleMs?: number;
  /** Lateness past which a fire logs a drift warning, ms. @default 1_000 */
  driftWarnMs?: number;
  /** Runs kept per entry's history. @default 100 */
  maxHistory?: number;
  /** Missed and skipped occurrences written to history per pass. @default 100 */
  missedHistoryLimit?: number;
  /** Occurrences enumerated per entry per pass (older ones count as missed unseen). @default 10_000 */
  maxCatchUpEnumerated?: number;
}

export type ResolvedBeatOptions = Required<Omit<BeatOptions, 'resultBackend'>> & {
  resultBackend: ResultBackend | undefined;
};

export function resolveBeatOptions(options: BeatOptions): ResolvedBeatOptions {
  const reaperGraceMs = options.reaperGraceMs ?? 30_000;
  const publishBudgetMs = options.publishBudgetMs ?? Math.floor(reaperGraceMs / 3);
  if (!(publishBudgetMs < reaperGraceMs)) {
    throw new RangeError('Beat: publishBudgetMs must be below reaperGraceMs');
  }
  return {
    store: options.store,
    stem: options.stem,
    resultBackend: options.resultBackend ?? options.stem.resultBackend,
    instanceId:
      options.instanceId ?? `beat:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    clock: options.clock ?? systemClock(),
    logger: options.logger ?? consoleBeatLogger,
    batchSize: options.batchSize ?? 100,
    concurrency: options.concurrency ?? 8,
    misfireGraceMs: options.misfireGraceMs ?? 60_000,
    reaperGraceMs,
    reaperIntervalMs: options.reaperIntervalMs ?? Math.floor(reaperGraceMs / 2),
    publishBudgetMs,
    pollIntervalMs: options.pollIntervalMs ?? 5_000,
    claimLostBackoffMs: options.claimLostBackoffMs ?? 1_000,
    overlapPollMs: options.overlapPollMs ?? 1_000,
    overlapStaleMs: options.overlapStaleMs ?? 3_600_000,
    driftWarnMs: options.driftWarnMs ?? 1_000,
    maxHistory: options.maxHistory ?? 100,
    missedHistoryLimit: options.missedHistoryLimit ?? 100,
    maxCatchUpEnumerated: options.maxCatchUpEnumerated ?? 10_000,
  };
}
