/**
 * Sends one batch of acks as one script call. When one local subscription holds every
 * delivery of the batch (the usual case), its next messages are reserved in the same
 * call (ack-and-reserve.lua), as BullMQ fetches the next job when it completes one: a
 * busy consumer then needs no round trip of its own to refill.
 */
import { type Delivery, LeaseLostError } from '@stem/core';
import type { BatchedCall } from '../connection/tick-batches';
import type { BrokerScriptName } from './broker-scripts';
import type { RedisSubscription } from './redis-subscription';

export interface AckBatchContext {
  /** Runs a broker script on the queue's keys. */
  run(script: BrokerScriptName, args: Array<string | number>): Promise<unknown>;
  /** The local subscription holding the delivery with this lease token, if any. */
  holderOf(leaseToken: string): RedisSubscription | undefined;
  /** The delivery with this lease token is settled (or its lease lost): its slot is free. */
  forget(leaseToken: string): void;
}

export function sendAckBatch(context: AckBatchContext, acks: Array<BatchedCall<Delivery>>): void {
  const pairs = acks.flatMap(({ input }) => [input.messageId, input.leaseToken]);
  const holder = context.holderOf(acks[0]!.input.leaseToken);
  const soleHolder =
    holder !== undefined &&
    acks.every(({ input }) => context.holderOf(input.leaseToken) === holder);
  const room = soleHolder ? holder.claimRoom(acks.length) : 0;
  const call =
    room > 0
      ? context.run('stemBrokerAckReserve', [
          acks.length,
          ...pairs,
          ...holder!.reserveArguments(room),
        ])
      : context.run('stemBrokerAck', pairs).then((replies) => [replies, undefined]);
  call.then(
    (reply) => {
      const [replies, reserved] = reply as [number[], unknown];
      // The new deliveries first: settling the acks wakes the loop, which must see them.
      if (room > 0) holder!.acceptReserved(room, reserved);
      acks.forEach(({ input, resolve, reject }, index) => {
        context.forget(input.leaseToken);
        if (replies[index] === 1) resolve(undefined);
        else reject(new LeaseLostError(input.messageId, 'ack'));
      });
    },
    (error: unknown) => {
      if (room > 0) holder!.releaseRoom(room);
      for (const { reject } of acks) reject(error);
    },
  );
}
