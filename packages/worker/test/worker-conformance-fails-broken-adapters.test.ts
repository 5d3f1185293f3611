// The worker conformance suite must be able to fail: each sabotaged adapter (or worker)
// here breaks one promise, and the case for that promise must throw against it.
import {
  type Broker,
  type Delivery,
  InMemoryBroker,
  InMemoryBrokerState,
  InMemoryRateLimiter,
  InMemoryResultBackend,
  InMemoryResultBackendState,
  type NackOptions,
  type RateLimiter,
  type ResultBackend,
  type ResultRecord,
  type TaskDefinition,
} from '@stem/core';
import {
  CaseResources,
  type ConformanceWorkerOptions,
  createWorkerCaseContext,
  openWorkerCaseSession,
  runConformanceCase,
  type WorkerConformanceAdapters,
  workerConformanceCases,
} from '@stem/testing';
import { Worker } from '@stem/worker';
import { describe, expect, it } from 'vitest';

/** Never extends: the lease lapses while the task still runs. */
class LeaseIgnoringBroker extends InMemoryBroker {
  override async extendLease(delivery: Delivery): Promise<number> {
    return delivery.leaseExpiresAt;
  }
}

/** Redelivers a nacked message at once, whatever delay was asked for. */
class DelayIgnoringBroker extends InMemoryBroker {
  override nack(delivery: Delivery, options: NackOptions = {}): Promise<void> {
    const envelope = { ...(options.envelope ?? delivery.envelope) };
    delete envelope.notBeforeAt;
    return super.nack(delivery, { envelope });
  }
}

/** Loses every idempotency record it is given. */
class ForgetfulResultBackend extends InMemoryResultBackend {
  override async set(record: ResultRecord): Promise<void> {
    if (!record.taskId.startsWith('idempotency:')) await super.set(record);
  }
}

const alwaysGrants: RateLimiter = {
  acquire: async () => ({ granted: true }),
  close: async () => {},
};

interface Sabotage {
  broker?: (state: InMemoryBrokerState) => Broker;
  resultBackend?: (state: InMemoryResultBackendState) => ResultBackend;
  rateLimiter?: RateLimiter;
  createWorker?: (options: ConformanceWorkerOptions) => Worker;
}

async function runAgainst(caseName: string, sabotage: Sabotage): Promise<void> {
  const workerCase = workerConformanceCases.find((candidate) => candidate.name === caseName);
  if (workerCase === undefined) throw new Error(`no worker conformance case ${caseName}`);
  const brokerState = new InMemoryBrokerState();
  const resultState = new InMemoryResultBackendState();
  const open = (): WorkerConformanceAdapters => {
    const broker = sabotage.broker?.(brokerState) ?? new InMemoryBroker({ state: brokerState });
    const resultBackend =
      sabotage.resultBackend?.(resultState) ?? new InMemoryResultBackend({ state: resultState });
    return {
      broker,
      resultBackend,
      rateLimiter: sabotage.rateLimiter ?? new InMemoryRateLimiter(),
      close: async () => {
        await Promise.all([broker.close(), resultBackend.close()]);
      },
    };
  };
  const createWorker = sabotage.createWorker ?? ((options) => new Worker(options));
  await runConformanceCase(
    workerCase,
    new CaseResources((namespace) => openWorkerCaseSession(open, namespace)),
    (resources) => createWorkerCaseContext(resources, createWorker),
  );
}

describe('the worker conformance suite against sabotaged adapters', () => {
  it('fails lease-kept-alive-for-long-task when leases are never extended', async () => {
    await expect(
      runAgainst('lease-kept-alive-for-long-task', {
        broker: (state) => new LeaseIgnoringBroker({ state }),
      }),
    ).rejects.toThrow(/ran again|delivered again/);
  });

  it('fails retries-with-growing-delays-then-dead-letters when retry delays are ignored', async () => {
    await expect(
      runAgainst('retries-with-growing-delays-then-dead-letters', {
        broker: (state) => new DelayIgnoringBroker({ state }),
      }),
    ).rejects.toThrow(/before its \d+ ms delay/);
  });

  it('fails rate-limit-holds-across-tasks when every token is granted', async () => {
    await expect(
      runAgainst('rate-limit-holds-across-tasks', { rateLimiter: alwaysGrants }),
    ).rejects.toThrow(/tokens were granted within/);
  });

  it('fails idempotency-key-runs-once when the first result is not remembered', async () => {
    await expect(
      runAgainst('idempotency-key-runs-once', {
        resultBackend: (state) => new ForgetfulResultBackend({ state }),
      }),
    ).rejects.toThrow(/ran for both messages/);
  });

  it('fails secret-args-redacted when the worker is not told which arguments are secret', async () => {
    const withoutSecrets = (task: TaskDefinition): TaskDefinition => ({
      ...task,
      options: { ...task.options, secretArgs: undefined },
    });
    await expect(
      runAgainst('secret-args-redacted', {
        createWorker: (options) =>
          new Worker({ ...options, tasks: options.tasks.map(withoutSecrets) }),
      }),
    ).rejects.toThrow(/holds the card number/);
  });
});
