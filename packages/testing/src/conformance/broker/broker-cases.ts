/** Every promise of the Broker contract, as the list of cases the suite runs in order. */

import { ackRemovesForGood } from './ack-removes-for-good';
import type { BrokerCase } from './broker-case-context';
import { closedBrokerRefusesCalls } from './closed-broker-refuses-calls';
import { concurrentConsumersNeverShare } from './concurrent-consumers-never-share';
import { deadLetterThenReplay } from './dead-letter-then-replay';
import { deadLettersPageOldestFirst } from './dead-letters-page-oldest-first';
import { delayedDeliveryNeverEarly } from './delayed-delivery-never-early';
import { leaseExpiryRedelivers } from './lease-expiry-redelivers';
import { leaseExtensionPreventsRedelivery } from './lease-extension-prevents-redelivery';
import { leaseOverMaximumRefused } from './lease-over-maximum-refused';
import { nackWithDelayRedeliversLater } from './nack-with-delay-redelivers-later';
import { nackWithEnvelopeReplaces } from './nack-with-envelope-replaces';
import { oversizedPublishRejected } from './oversized-publish-rejected';
import { poisonDeadLetteredOnce } from './poison-dead-lettered-once';
import { prefetchBoundHolds } from './prefetch-bound-holds';
import { priorityOrder } from './priority-order';
import { publishConsumeAck } from './publish-consume-ack';
import { purgeDeadLetters } from './purge-dead-letters';
import { releaseDoesNotCount } from './release-does-not-count';
import { staleAckRefused } from './stale-ack-refused';
import { statsAndPurge } from './stats-and-purge';

/** The broker conformance cases, simplest first. */
export const brokerConformanceCases: readonly BrokerCase[] = [
  publishConsumeAck,
  ackRemovesForGood,
  leaseExpiryRedelivers,
  leaseExtensionPreventsRedelivery,
  leaseOverMaximumRefused,
  staleAckRefused,
  nackWithDelayRedeliversLater,
  nackWithEnvelopeReplaces,
  releaseDoesNotCount,
  delayedDeliveryNeverEarly,
  priorityOrder,
  prefetchBoundHolds,
  concurrentConsumersNeverShare,
  poisonDeadLetteredOnce,
  deadLetterThenReplay,
  deadLettersPageOldestFirst,
  purgeDeadLetters,
  statsAndPurge,
  oversizedPublishRejected,
  closedBrokerRefusesCalls,
];
