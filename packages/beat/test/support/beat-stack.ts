/**
 * An in-memory beat stack for time-travel tests: a shared schedule store state, a
 * Stem client whose publishes are recorded, a result backend, a ManualClock, and a
 * logger that keeps every line.
 */

import {
  Beat,
  type BeatLogFields,
  type BeatLogger,
  type BeatOptions,
  ManualClock,
  SchedulerService,
} from '@stem/beat';
import {
  type Envelope,
  InMemoryBroker,
  InMemoryResultBackend,
  InMemoryScheduleStore,
  InMemoryScheduleStoreState,
  Stem,
} from '@stem/core';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: BeatLogFields;
}

export interface BeatStack {
  clock: ManualClock;
  state: InMemoryScheduleStoreState;
  store: InMemoryScheduleStore;
  resultBackend: InMemoryResultBackend;
  stem: Stem;
  service: SchedulerService;
  /** Every envelope published, in order. */
  published: Envelope[];
  logs: LogLine[];
  newBeat(options?: Partial<BeatOptions>): Beat;
  /** Scheduled instants (epoch ms) published for one entry, ascending. */
  firedFor(entryId: string): number[];
}

export function createBeatStack(startAt: number): BeatStack {
  const clock = new ManualClock(startAt);
  const state = new InMemoryScheduleStoreState();
  const store = new InMemoryScheduleStore({ state });
  const resultBackend = new InMemoryResultBackend();
  const published: Envelope[] = [];
  const stem = new Stem({
    broker: new InMemoryBroker(),
    resultBackend,
    middleware: [
      {
        name: 'record-publishes',
        publish: async (envelope, next) => {
          published.push(envelope);
          await next(envelope);
        },
      },
    ],
  });
  const logs: LogLine[] = [];
  const logger: BeatLogger = {
    info: (message, fields) => logs.push({ level: 'info', message, fields }),
    warn: (message, fields) => logs.push({ level: 'warn', message, fields }),
    error: (message, fields) => logs.push({ level: 'error', message, fields }),
  };
  const service = new SchedulerService({ store, stem, clock });
  return {
    clock,
    state,
    store,
    resultBackend,
    stem,
    service,
    published,
    logs,
    newBeat: (options = {}) =>
      new Beat({
        store: new InMemoryScheduleStore({ state }),
        stem,
        clock,
        logger,
        misfireGraceMs: 30_000,
        ...options,
      }),
    firedFor: (entryId) =>
      published
        .filter((envelope) => envelope.headers['stem-beat-entry'] === entryId)
        .map((envelope) => Number(envelope.headers['stem-beat-scheduled-at']))
        .sort((a, b) => a - b),
  };
}

/** Epoch ms of an ISO instant. */
export const at = (iso: string): number => Date.parse(iso);
