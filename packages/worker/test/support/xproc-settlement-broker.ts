/**
 * A broker wrapper for the worker-process fixture. It can print each delivery and each
 * settlement the broker accepted (`received <taskId> <deliveryCount> <leaseExpiresAt>
 * <receivedAt>`,
 * `settled <kind> <taskId>`) so a test counts acks per task across processes, and it
 * can sabotage the worker by acking every delivery the moment it arrives (early ack),
 * which is what the ledger checker must catch. Runs on the fixture's main thread.
 */
import type {
  Broker,
  ConsumeOptions,
  DeadLetterReason,
  Delivery,
  DeliveryHandler,
  NackOptions,
  Subscription,
} from '@stem/core';
// Not the @stem/testing barrel: it loads vitest, which throws outside a test runner.
import { RecordingBroker } from '../../../testing/src/conformance/worker/recording-broker';

export interface SettlementBrokerOptions {
  /** Print deliveries and accepted settlements on stdout. */
  log: boolean;
  /** Ack each delivery as soon as it is received, before the worker runs it. */
  earlyAck: boolean;
}

export class SettlementBroker extends RecordingBroker {
  readonly #options: SettlementBrokerOptions;

  constructor(inner: Broker, options: SettlementBrokerOptions) {
    super(inner);
    this.#options = options;
  }

  override consume(options: ConsumeOptions, handler: DeliveryHandler): Promise<Subscription> {
    return super.consume(options, (delivery) => {
      this.#print(
        `received ${delivery.envelope.id} ${delivery.deliveryCount} ${delivery.leaseExpiresAt} ${Date.now()}`,
      );
      if (!this.#options.earlyAck) {
        handler(delivery);
        return;
      }
      // The sabotage: the message is gone from the broker before the handler runs.
      this.ack(delivery).then(
        () => handler(delivery),
        (error: unknown) => process.stderr.write(`early ack failed: ${String(error)}\n`),
      );
    });
  }

  override async ack(delivery: Delivery): Promise<void> {
    await super.ack(delivery);
    this.#print(`settled ack ${delivery.envelope.id}`);
  }

  override async nack(delivery: Delivery, options?: NackOptions): Promise<void> {
    await super.nack(delivery, options);
    this.#print(`settled nack ${delivery.envelope.id}`);
  }

  override async release(delivery: Delivery): Promise<void> {
    await super.release(delivery);
    this.#print(`settled release ${delivery.envelope.id}`);
  }

  override async deadLetter(delivery: Delivery, reason: DeadLetterReason): Promise<void> {
    await super.deadLetter(delivery, reason);
    this.#print(`settled deadLetter ${delivery.envelope.id}`);
  }

  #print(line: string): void {
    // stdout to a pipe is written synchronously on Linux: the line survives a SIGKILL.
    if (this.#options.log) process.stdout.write(`${line}\n`);
  }
}
