/** Case: purging dead letters deletes exactly the selected ones, for good. */
import assert from 'node:assert/strict';
import { sleep } from '../conformance-case';
import type { BrokerCase } from './broker-case-context';
import { deadLetterMessages } from './dead-letter-messages';
import { DeliveryLog } from './delivery-log';

export const purgeDeadLetters: BrokerCase = {
  name: 'purge-dead-letters',
  promise:
    'purgeDeadLetters removes the selected dead letters (by ids, or all) without delivering them again',
  async run(context) {
    const broker = await context.open();
    const queue = context.queue('purged-dlq');
    await deadLetterMessages(broker, queue, 3);
    const listed = (await broker.listDeadLetters({ queue })).entries;
    assert.equal(listed.length, 3);
    const [first, second, third] = listed;
    assert.ok(first !== undefined && second !== undefined && third !== undefined);

    assert.equal(await broker.purgeDeadLetters({ queue, ids: [second.id] }), 1, 'one purged by id');
    const left = (await broker.listDeadLetters({ queue })).entries.map((entry) => entry.id);
    assert.deepEqual(left, [first.id, third.id], 'only the selected entry is gone');

    assert.equal(await broker.purgeDeadLetters({ queue }), 2, 'the rest purged');
    assert.deepEqual((await broker.listDeadLetters({ queue })).entries, []);
    assert.equal((await broker.stats(queue)).dead, 0, 'stats agree');

    const log = new DeliveryLog();
    await broker.consume({ queue, prefetch: 5, leaseMs: 10_000 }, log.handler);
    await sleep(300);
    assert.equal(log.count, 0, 'purged dead letters are never delivered');
  },
};
