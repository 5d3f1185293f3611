/**
 * The after-task hook: work that must follow a task's terminal result and precede its
 * ack (canvas continuations: group reports, chord callbacks, next chain steps, links).
 * Runs on the main thread. Because it runs before the ack, a crash repeats it on
 * redelivery: a hook must be idempotent.
 */
import type { Delivery, Envelope, ResultRecord } from '@stem/core';

/** A task that reached a terminal status (SUCCESS, FAILURE or REVOKED). */
export interface SettledTask {
  envelope: Envelope;
  /** The terminal record just written for the task. */
  record: ResultRecord;
}

/**
 * Called once per settled delivery, after the terminal result is written and before the
 * message is acked or dead-lettered. If it throws, the message is neither acked nor
 * dead-lettered: its lease lapses and it is delivered again.
 */
export type AfterTaskHook = (settled: SettledTask) => Promise<void>;

/** Runs `hook`, if any, between a delivery's terminal result and its settlement. */
export async function afterTerminal(
  hook: AfterTaskHook | undefined,
  delivery: Delivery,
  record: ResultRecord,
): Promise<void> {
  await hook?.({ envelope: delivery.envelope, record });
}
