import assert from 'node:assert/strict';
import { defineTask, type RateLimit } from '@stem/core';
import type { RecordedGrant } from './recording-rate-limiter';
import { assertNoWorkerErrors, type WorkerCase, waitForQueueStats } from './worker-case-context';

const LIMIT: Required<RateLimit> = { limit: 10, periodMs: 1_000, burst: 10 };
const TASKS = 100;

export const rateLimitHoldsAcrossTasks: WorkerCase = {
  name: 'rate-limit-holds-across-tasks',
  promise:
    'a rate-limited task starts only with a token from its bucket (10/s, burst 10): no stretch of time holds more starts than the bucket allows, and all 100 tasks still finish',
  timeoutMs: 60_000,
  async run(context) {
    const connection = await context.connect();
    const queue = context.queue();
    const startedAt: number[] = [];
    const ping = defineTask({
      name: 'conformance.rate-limited',
      rateLimit: LIMIT,
      run: (n: number) => {
        startedAt.push(Date.now());
        return n;
      },
    });
    await context.startWorker(connection, { tasks: [ping], queue, concurrency: 10 });
    const results = await Promise.all(
      Array.from({ length: TASKS }, (_, n) => connection.stem.enqueue(ping, n, { queue })),
    );
    // (100 - burst) / rate = 9 s at the least; the rest is slack for a loaded machine.
    const payloads = await Promise.all(results.map((result) => result.get({ timeoutMs: 45_000 })));

    assert.deepEqual(
      payloads,
      Array.from({ length: TASKS }, (_, n) => n),
    );
    assert.equal(startedAt.length, TASKS, 'a task ran more than once');
    const grants = connection.rateLimiter.grantsOf('conformance.rate-limited');
    assert.equal(grants.length, TASKS, 'tasks did not take exactly one token each');
    assertBucketRespected(grants);
    assertEveryStartHadAToken(startedAt, grants);
    await waitForQueueStats(
      connection.broker,
      queue,
      { ready: 0, delayed: 0, inFlight: 0, dead: 0 },
      'every message to be acked',
    );
    assertNoWorkerErrors(context);
  },
};

/**
 * A bucket that starts full lets at most `burst + limit × span / period` tokens go in
 * any stretch of time `span` long. Each grant happened between its request and its
 * answer, so a run of grants spans at most from the earliest request to the latest
 * answer; more grants than that span allows proves the bucket was overdrawn.
 */
function assertBucketRespected(grants: readonly RecordedGrant[]): void {
  for (let first = 0; first < grants.length; first += 1) {
    let latestAnswer = grants[first]!.answeredAt;
    for (let last = first; last < grants.length; last += 1) {
      latestAnswer = Math.max(latestAnswer, grants[last]!.answeredAt);
      const spanMs = latestAnswer - grants[first]!.requestedAt;
      const allowed = LIMIT.burst + (LIMIT.limit * spanMs) / LIMIT.periodMs;
      const taken = last - first + 1;
      assert.ok(
        taken <= allowed + 1e-9,
        `${taken} tokens were granted within ${spanMs} ms; the bucket allows ${allowed.toFixed(2)}`,
      );
    }
  }
}

/** The k-th task to start cannot have started before the k-th token was asked for. */
function assertEveryStartHadAToken(startedAt: number[], grants: readonly RecordedGrant[]): void {
  const starts = [...startedAt].sort((left, right) => left - right);
  starts.forEach((at, index) => {
    const requestedAt = grants[index]!.requestedAt;
    assert.ok(
      at >= requestedAt,
      `task start #${index + 1} came ${requestedAt - at} ms before token #${index + 1} was asked for`,
    );
  });
}
