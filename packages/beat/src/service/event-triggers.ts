/**
 * Event-triggered schedules (job type "event"): handlers registered per event name turn
 * an event's payload into one-shot or recurring entries, e.g. a 7-day drip after a
 * signup. Entry ids should derive from the payload, so publishing the same event twice
 * creates nothing twice. Runs on the caller's thread.
 */
import { hasErrorCode, type JsonValue, type ScheduleEntry } from '@stem/core';
import type { ScheduleEntryInput } from './schedule-entry-input';
import type { SchedulerService } from './scheduler-service';

export type EventEntryBuilder = (
  payload: JsonValue,
  occurredAt: number,
) => ScheduleEntryInput | ScheduleEntryInput[] | undefined;

export class ScheduleEventTriggers {
  readonly #service: SchedulerService;
  readonly #builders = new Map<string, EventEntryBuilder[]>();

  constructor(service: SchedulerService) {
    this.#service = service;
  }

  /** Registers a builder for `eventName`; returns a function removing it. */
  onEvent(eventName: string, build: EventEntryBuilder): () => void {
    const builders = this.#builders.get(eventName) ?? [];
    builders.push(build);
    this.#builders.set(eventName, builders);
    return () => {
      const index = builders.indexOf(build);
      if (index >= 0) builders.splice(index, 1);
    };
  }

  /**
   * Runs every builder of `eventName` and creates their entries. An entry whose id
   * exists already is returned as stored (the event was seen before).
   */
  async publish(
    eventName: string,
    payload: JsonValue,
    occurredAt = Date.now(),
  ): Promise<ScheduleEntry[]> {
    const entries: ScheduleEntry[] = [];
    for (const build of this.#builders.get(eventName) ?? []) {
      const built = build(payload, occurredAt);
      const inputs = built === undefined ? [] : Array.isArray(built) ? built : [built];
      for (const input of inputs) entries.push(await this.#createOnce(input));
    }
    return entries;
  }

  async #createOnce(input: ScheduleEntryInput): Promise<ScheduleEntry> {
    try {
      return await this.#service.create(input);
    } catch (error) {
      if (!hasErrorCode(error, 'ALREADY_EXISTS')) throw error;
      const existing = await this.#service.get(input.id);
      if (existing === undefined) throw error;
      return existing;
    }
  }
}

/** A one-shot entry: `taskName(args)` once at `runAt` (epoch ms). */
export function oneShotEntry(
  id: string,
  taskName: string,
  args: JsonValue,
  runAt: number,
  extra: Partial<ScheduleEntryInput> = {},
): ScheduleEntryInput {
  return { ...extra, id, taskName, args, spec: { kind: 'clocked', runAt } };
}

/**
 * A recurring entry that starts at `startAt` and stops after `maxRuns` fires (a drip):
 * e.g. `recurringEntry(id, 'send-drip', args, { kind: 'cron', expression: '0 10 * * *' },
 * { startAt, maxRuns: 7, timezone })`.
 */
export function recurringEntry(
  id: string,
  taskName: string,
  args: JsonValue,
  spec: ScheduleEntryInput['spec'],
  limits: Partial<ScheduleEntryInput> & { maxRuns?: number; startAt?: number } = {},
): ScheduleEntryInput {
  return { ...limits, id, taskName, args, spec };
}
