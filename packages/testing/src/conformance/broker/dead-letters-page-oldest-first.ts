/** Case: dead letters are listed oldest first, in pages, and can be selected by id. */
import assert from 'node:assert/strict';
import type { BrokerCase } from './broker-case-context';
import { deadLetterMessages } from './dead-letter-messages';
import { DeliveryLog } from './delivery-log';

export const deadLettersPageOldestFirst: BrokerCase = {
  name: 'dead-letters-page-oldest-first',
  promise:
    'listDeadLetters pages oldest first with a cursor, filters by ids, and replay touches only the selected entries',
  async run(context) {
    const broker = await context.open();
    const queue = context.queue('paged-dlq');
    const envelopes = await deadLetterMessages(broker, queue, 5);
    const expectedIds = envelopes.map((envelope) => envelope.id);

    const seen: string[] = [];
    const deadLetterIds: string[] = [];
    let cursor: string | undefined;
    for (let pages = 1; pages <= 3; pages += 1) {
      const page = await broker.listDeadLetters({ queue, limit: 2, ...(cursor ? { cursor } : {}) });
      assert.ok(page.entries.length <= 2, 'a page holds at most `limit` entries');
      seen.push(...page.entries.map((entry) => entry.envelope.id));
      deadLetterIds.push(...page.entries.map((entry) => entry.id));
      cursor = page.nextCursor;
      if (pages < 3) assert.ok(cursor !== undefined, `page ${pages} of 3 has a next cursor`);
    }
    assert.equal(cursor, undefined, 'the last page has no cursor');
    assert.deepEqual(seen, expectedIds, 'pages list every dead letter once, oldest first');

    const [firstId, secondId, , fourthId] = deadLetterIds;
    assert.ok(firstId !== undefined && secondId !== undefined && fourthId !== undefined);
    const picked = await broker.listDeadLetters({ queue, ids: [fourthId, firstId] });
    assert.deepEqual(
      picked.entries.map((entry) => entry.id),
      [firstId, fourthId],
      'an ids filter returns just those entries, oldest first',
    );

    assert.equal(await broker.replayDeadLetters({ queue, ids: [secondId] }), 1);
    const log = new DeliveryLog();
    await broker.consume({ queue, prefetch: 5, leaseMs: 10_000 }, log.handler);
    await log.waitForCount(1, 'the replayed entry');
    assert.equal(log.delivery(0).envelope.id, expectedIds[1], 'the selected entry was replayed');
    await broker.ack(log.delivery(0));
    const remaining = (await broker.listDeadLetters({ queue })).entries.map((entry) => entry.id);
    assert.deepEqual(
      remaining,
      deadLetterIds.filter((id) => id !== secondId),
      'the others stay',
    );
    assert.equal(log.count, 1, 'only the replayed entry was delivered');
  },
};
