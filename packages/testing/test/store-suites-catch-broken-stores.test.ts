/**
 * Proves the store conformance suites can fail: each broken store must make the case
 * guarding its broken promise throw an assertion, while the real in-memory adapter
 * passes that same case.
 */
import { AssertionError } from 'node:assert';
import {
  InMemoryLockStore,
  InMemoryLockStoreState,
  InMemoryRateLimiter,
  InMemoryRateLimiterState,
  InMemoryResultBackend,
  InMemoryResultBackendState,
  InMemoryScheduleStore,
  InMemoryScheduleStoreState,
  type LockStore,
  type RateLimiter,
  type ResultBackend,
  type ScheduleStore,
} from '@stem/core';
import {
  CaseResources,
  type ConformanceCase,
  lockStoreConformanceCases,
  rateLimiterConformanceCases,
  resultBackendConformanceCases,
  runConformanceCase,
  scheduleStoreConformanceCases,
} from '@stem/testing';
import { describe, expect, it } from 'vitest';
import {
  AgeBlindTakeOverScheduleStore,
  DisabledDueScheduleStore,
  DoubleCountingResultBackend,
  DoubleWinScheduleStore,
  EveryoneWinsResultBackend,
  ImmortalResultBackend,
  LateStartOverwritesResultBackend,
  perNamespace,
  TimeoutOnlyResultBackend,
  UnfencedLockStore,
  UnlimitedRateLimiter,
  VersionBlindScheduleStore,
} from './support/broken-stores';

type Open<T> = (namespace: string) => T;

function caseNamed<T>(cases: readonly ConformanceCase<T>[], name: string): ConformanceCase<T> {
  const found = cases.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no conformance case named ${name}`);
  return found;
}

async function expectCaughtButRealPasses<T extends { close(): Promise<void> }>(
  conformanceCase: ConformanceCase<CaseResources<T>>,
  openBroken: Open<T>,
  openReal: Open<T>,
): Promise<void> {
  await expect(
    runConformanceCase(conformanceCase, new CaseResources(openBroken), (resources) => resources),
  ).rejects.toBeInstanceOf(AssertionError);
  await runConformanceCase(conformanceCase, new CaseResources(openReal), (resources) => resources);
}

const scheduleState = perNamespace(() => new InMemoryScheduleStoreState());
const resultState = perNamespace(() => new InMemoryResultBackendState());
const groupCounters = perNamespace(() => new Map<string, number>());
const rateState = perNamespace(() => new InMemoryRateLimiterState());
const lockState = perNamespace(() => new InMemoryLockStoreState());

const realSchedule: Open<ScheduleStore> = (ns) =>
  new InMemoryScheduleStore({ state: scheduleState(ns) });
const realResults: Open<ResultBackend> = (ns) =>
  new InMemoryResultBackend({ state: resultState(ns) });
const realRates: Open<RateLimiter> = (ns) => new InMemoryRateLimiter({ state: rateState(ns) });
const realLocks: Open<LockStore> = (ns) => new InMemoryLockStore({ state: lockState(ns) });

const schedule = (name: string) => caseNamed(scheduleStoreConformanceCases, name);
const results = (name: string) => caseNamed(resultBackendConformanceCases, name);

describe.concurrent('store conformance suites catch broken stores', () => {
  it('a schedule store whose claim lets two claimers win fails racing-claimers-fire-once', () =>
    expectCaughtButRealPasses(
      schedule('racing-claimers-fire-once'),
      (ns) => new DoubleWinScheduleStore({ state: scheduleState(ns) }),
      realSchedule,
    ));

  it('a schedule store whose take-over ignores claim age fails racing-reapers-take-over-once', () =>
    expectCaughtButRealPasses(
      schedule('racing-reapers-take-over-once'),
      (ns) => new AgeBlindTakeOverScheduleStore({ state: scheduleState(ns) }),
      realSchedule,
    ));

  it('a schedule store ignoring expectedVersion fails stale-versioned-update-rejected', () =>
    expectCaughtButRealPasses(
      schedule('stale-versioned-update-rejected'),
      (ns) => new VersionBlindScheduleStore({ state: scheduleState(ns) }),
      realSchedule,
    ));

  it('a schedule store listing disabled entries as due fails due-returns-only-due-enabled-in-order', () =>
    expectCaughtButRealPasses(
      schedule('due-returns-only-due-enabled-in-order'),
      (ns) => new DisabledDueScheduleStore({ state: scheduleState(ns) }),
      realSchedule,
    ));

  it('a result backend double-counting repeated indexes fails chord-counter-exact-under-concurrency', () =>
    expectCaughtButRealPasses(
      results('chord-counter-exact-under-concurrency'),
      (ns) =>
        new DoubleCountingResultBackend({ state: resultState(ns), counters: groupCounters(ns) }),
      realResults,
    ));

  it('a result backend granting every claimant fails group-callback-claimed-once', () =>
    expectCaughtButRealPasses(
      results('group-callback-claimed-once'),
      (ns) => new EveryoneWinsResultBackend({ state: resultState(ns) }),
      realResults,
    ));

  it('a result backend whose waitFor wakes only on timeout fails waiter-wakes-on-completion', () =>
    expectCaughtButRealPasses(
      results('waiter-wakes-on-completion'),
      (ns) => new TimeoutOnlyResultBackend({ state: resultState(ns) }),
      realResults,
    ));

  it('a result backend letting a late start overwrite fails terminal-not-overwritten-by-late-start', () =>
    expectCaughtButRealPasses(
      results('terminal-not-overwritten-by-late-start'),
      (ns) => new LateStartOverwritesResultBackend({ state: resultState(ns) }),
      realResults,
    ));

  it('a result backend ignoring ttlMs fails result-ttl-expiry', () =>
    expectCaughtButRealPasses(
      results('result-ttl-expiry'),
      (ns) => new ImmortalResultBackend({ state: resultState(ns) }),
      realResults,
    ));

  it('a rate limiter that always grants fails never-exceeds-rate-under-concurrency', () =>
    expectCaughtButRealPasses(
      caseNamed(rateLimiterConformanceCases, 'never-exceeds-rate-under-concurrency'),
      (ns) => new UnlimitedRateLimiter({ state: rateState(ns) }),
      realRates,
    ));

  it('a lock store that renews without fencing fails stale-renew-refused', () =>
    expectCaughtButRealPasses(
      caseNamed(lockStoreConformanceCases, 'stale-renew-refused'),
      (ns) => new UnfencedLockStore({ state: lockState(ns) }),
      realLocks,
    ));
});
