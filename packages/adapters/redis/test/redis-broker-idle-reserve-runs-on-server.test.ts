// An idle consumer queues its next reserve behind its blocking read, so Redis leases a
// newly published message the moment the read returns, with no round trip to the
// consumer in between. Proved without timing: the publisher runs in a child process
// while this process (the consumer) is frozen in spawnSync, and still sees the message
// leased. Once this process runs again, the delivery reaches the handler.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Delivery } from '@stem/core';
import { RedisBroker } from '@stem/redis';
import { conformanceEnvelope, eventually, testServiceUrl } from '@stem/testing';
import { expect, it } from 'vitest';
import { redisTestNamespace } from './support/redis-test-namespace';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const { namespace } = redisTestNamespace();

it('leases a message published to an idle consumer while that consumer cannot run', async () => {
  const queue = 'idle.reserve';
  // A long block, so the read is still waiting when the child (slow to start) publishes.
  const broker = new RedisBroker({ url: testServiceUrl('redis'), namespace, maxBlockMs: 60_000 });
  const received: Delivery[] = [];
  const subscription = await broker.consume({ queue, prefetch: 4 }, (delivery) => {
    received.push(delivery);
  });
  try {
    // Idle: one message in and out, so the consumer is waiting on the server again.
    await broker.publish(conformanceEnvelope(queue, { args: { warmUp: true } }));
    await eventually('the warm-up delivered', () => received.length === 1);
    await broker.ack(received[0]!);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const args = ['--import', 'tsx', '--import', fixture('lua-text-loader.mjs')];
    args.push(fixture('publish-then-await-lease.ts'), testServiceUrl('redis'), namespace, queue);
    args.push('5000');
    const publisher = spawnSync(process.execPath, args, {
      cwd: root,
      env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.base.json' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(publisher.stdout.trim(), publisher.stderr).toBe('leased');
    expect(publisher.status).toBe(0);

    await eventually('the pushed message delivered', () => received.length === 2);
    expect(received[1]!.envelope.args).toEqual({ pushed: true });
    await broker.ack(received[1]!);
  } finally {
    await subscription.cancel();
    await broker.close();
  }
});
