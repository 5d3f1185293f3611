// The broker conformance suite must fail against brokers that break a promise, and the
// same cases must pass against the real InMemoryBroker, so a failure means the break
// was caught, not that the case cannot pass. Cases run concurrently: several wait out
// their full patience before failing.
import { AssertionError } from 'node:assert';
import assert from 'node:assert/strict';
import { type Broker, InMemoryBroker, InMemoryBrokerState } from '@stem/core';
import {
  type BrokerCase,
  brokerConformanceCases,
  CaseResources,
  createBrokerCaseContext,
  runConformanceCase,
} from '@stem/testing';
import { describe, it } from 'vitest';
import { brokenBrokers } from './support/broken-brokers';

const CASE_TIMEOUT_MS = 30_000;

function caseNamed(name: string): BrokerCase {
  const found = brokerConformanceCases.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no broker conformance case named ${name}`);
  return found;
}

function run(conformanceCase: BrokerCase, open: (namespace: string) => Broker): Promise<void> {
  return runConformanceCase(conformanceCase, new CaseResources(open), (resources) =>
    createBrokerCaseContext(resources),
  );
}

/**
 * The case must fail through one of its own checks (an assertion, or a wait that ran
 * out) with the expected message, never through a crash or an unrelated check.
 */
function assertCaughtAs(error: unknown, failure: RegExp): void {
  const caseFailure =
    error instanceof AssertionError ||
    (error instanceof Error && error.message.startsWith('timed out after'));
  assert.ok(caseFailure, `failed for the wrong reason: ${String(error)}`);
  const firstLine = (error as Error).message.split('\n')[0] ?? '';
  assert.match(firstLine, failure, 'failed at an unexpected check');
}

function openInMemory(): (namespace: string) => Broker {
  const states = new Map<string, InMemoryBrokerState>();
  return (namespace) => {
    let state = states.get(namespace);
    if (state === undefined) {
      state = new InMemoryBrokerState();
      states.set(namespace, state);
    }
    return new InMemoryBroker({ state });
  };
}

describe.concurrent('the broker conformance suite catches broken brokers', () => {
  for (const broken of brokenBrokers) {
    for (const expected of broken.caughtBy) {
      it(
        `${expected.case} fails against a broker that ${broken.name}`,
        async () => {
          await assert.rejects(run(caseNamed(expected.case), broken.open), (error: unknown) => {
            assertCaughtAs(error, expected.failure);
            return true;
          });
        },
        CASE_TIMEOUT_MS,
      );
    }
  }

  const relevant = new Set(
    brokenBrokers.flatMap((broken) => broken.caughtBy.map((expected) => expected.case)),
  );
  for (const name of relevant) {
    it(
      `${name} passes against the real InMemoryBroker`,
      () => run(caseNamed(name), openInMemory()),
      CASE_TIMEOUT_MS,
    );
  }
});
