/**
 * Publishes one claimed occurrence through a Stem client, then marks the claim
 * published and appends the run to history. Shared by the beat loop, the reaper and
 * the operator actions. A publish whose claimant was paused past its budget is
 * abandoned (the reaper owns it by then). Main thread.
 */
import { performance } from 'node:perf_hooks';
import {
  failpoint,
  hasErrorCode,
  type ScheduleEntry,
  type ScheduleRun,
  type ScheduleStore,
  type Stem,
} from '@stem/core';
import { occurrenceTaskId } from './entry-timing';

export interface PublishRequest {
  entry: ScheduleEntry;
  scheduledAt: number;
  /** The claim's occurrence id, or undefined for unclaimed publishes (run-now, replay). */
  occurrenceId?: string;
  /** @default the occurrence's deterministic task id */
  taskId?: string;
  /** performance.now() taken just before the claim (or take-over) was requested. */
  claimStartedAt: number;
  /** Give up when more than this has passed since `claimStartedAt`, ms. */
  budgetMs: number;
  /** Wall time of the fire, epoch ms (the beat's clock). */
  firedAt: number;
  /** For the reaper: the claimant whose unpublished claim this publish takes over. */
  reapedFrom?: string;
  note?: string;
}

export type PublishOutcome =
  | { kind: 'published'; taskId: string; durationMs: number }
  | { kind: 'abandoned'; elapsedMs: number };

export interface OccurrencePublisherOptions {
  store: ScheduleStore;
  stem: Stem;
  maxHistory: number;
}

export class OccurrencePublisher {
  readonly #options: OccurrencePublisherOptions;

  constructor(options: OccurrencePublisherOptions) {
    this.#options = options;
  }

  /** Throws when the publish or a store write fails; the claim stays for the reaper. */
  async publish(request: PublishRequest): Promise<PublishOutcome> {
    const { entry, scheduledAt } = request;
    await failpoint('beat.after-claim-before-publish');
    // Checked right before the publish on the same tick: a beat paused (SIGSTOP, GC)
    // since its claim may have been reaped already, so it must not publish too.
    const elapsedMs = performance.now() - request.claimStartedAt;
    if (elapsedMs > request.budgetMs) return { kind: 'abandoned', elapsedMs };
    const taskId = request.taskId ?? occurrenceTaskId(entry.id, scheduledAt);
    await this.#options.stem.enqueueByName(entry.taskName, entry.args, {
      taskId,
      ...(entry.queue === undefined ? {} : { queue: entry.queue }),
      idempotencyKey: request.occurrenceId ?? taskId,
      headers: {
        'stem-beat-entry': entry.id,
        'stem-beat-scheduled-at': String(scheduledAt),
        // Lets operators (and tests) tell a reaper's republish from the original.
        ...(request.reapedFrom === undefined
          ? {}
          : { 'stem-beat-reaped-from': request.reapedFrom }),
      },
    });
    await failpoint('beat.after-publish-before-mark');
    const { store, maxHistory } = this.#options;
    if (request.occurrenceId !== undefined) {
      await ignoreMissing(store.markOccurrencePublished(request.occurrenceId, taskId));
    }
    const run: ScheduleRun = {
      entryId: entry.id,
      scheduledAt,
      firedAt: request.firedAt,
      taskId,
      status: 'fired',
      ...(request.note === undefined ? {} : { note: request.note }),
    };
    await ignoreMissing(store.appendRun(run, maxHistory));
    return { kind: 'published', taskId, durationMs: performance.now() - request.claimStartedAt };
  }
}

/** The entry was deleted meanwhile: its claims and history went with it. */
async function ignoreMissing(write: Promise<void>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!hasErrorCode(error, 'NOT_FOUND')) throw error;
  }
}
