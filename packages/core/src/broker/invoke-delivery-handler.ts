/**
 * How every broker hands a delivery to its consumer's handler. A handler that throws (or
 * rejects) is a consumer bug: the delivery stays leased and comes back when the lease
 * ends. The error is reported as a process warning, never swallowed.
 */
import type { Delivery, DeliveryHandler } from './broker';

export function invokeDeliveryHandler(handler: DeliveryHandler, delivery: Delivery): void {
  const report = (error: unknown) =>
    process.emitWarning(
      `delivery handler for queue ${delivery.queue} failed: ${String(error)}`,
      'StemDeliveryHandlerWarning',
    );
  try {
    const result: unknown = handler(delivery);
    if (result instanceof Promise) result.catch(report);
  } catch (error) {
    report(error);
  }
}
