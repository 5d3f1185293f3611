// Broker conformance suite
export {
  type BrokerCase,
  type BrokerCaseContext,
  createBrokerCaseContext,
} from './conformance/broker/broker-case-context';
export { brokerConformanceCases } from './conformance/broker/broker-cases';
export { conformanceEnvelope } from './conformance/broker/conformance-envelope';
export {
  type BrokerConformanceOptions,
  describeBrokerConformance,
} from './conformance/broker/describe-broker-conformance';
export {
  CaseResources,
  type ConformanceCase,
  describeCases,
  eventually,
  runConformanceCase,
  sleep,
} from './conformance/conformance-case';
// Store conformance suites: results, schedules, rate limits, locks
export {
  describeLockStoreConformance,
  type LockStoreConformanceOptions,
} from './conformance/lock/describe-lock-store-conformance';
export type { LockStoreCase } from './conformance/lock/lock-store-case';
export { lockStoreConformanceCases } from './conformance/lock/lock-store-cases';
export {
  describeRateLimiterConformance,
  type RateLimiterConformanceOptions,
} from './conformance/rate-limit/describe-rate-limiter-conformance';
export type { RateLimiterCase } from './conformance/rate-limit/rate-limiter-case';
export { rateLimiterConformanceCases } from './conformance/rate-limit/rate-limiter-cases';
export {
  describeResultBackendConformance,
  type ResultBackendConformanceOptions,
} from './conformance/result/describe-result-backend-conformance';
export type { ResultBackendCase } from './conformance/result/result-backend-case';
export { resultBackendConformanceCases } from './conformance/result/result-backend-cases';
export {
  describeScheduleStoreConformance,
  type ScheduleStoreConformanceOptions,
} from './conformance/schedule/describe-schedule-store-conformance';
export type { ScheduleStoreCase } from './conformance/schedule/schedule-store-case';
export { scheduleStoreConformanceCases } from './conformance/schedule/schedule-store-cases';
// Reliability harness: fault driver, ledger, checker
export {
  type FaultDecision,
  FaultDriver,
  type FaultDriverOptions,
  type FaultScheduleOptions,
  type ScheduledFaultKind,
} from './faults/fault-driver';
export { freePort } from './faults/free-port';
export {
  describeExit,
  type ManagedExit,
  ManagedProcess,
  type ManagedProcessSpec,
} from './faults/managed-process';
export { randomIntBetween, seededRandom } from './faults/seeded-random';
export {
  type CheckLedgerOptions,
  checkLedger,
  type LedgerDuplicate,
  type LedgerReport,
} from './ledger/check-ledger';
export { formatLedgerReport } from './ledger/format-ledger-report';
export {
  isTaskEntry,
  type LedgerEntry,
  type LedgerFaultEntry,
  type LedgerFaultKind,
  type LedgerTaskEntry,
  type LedgerTaskEvent,
  parseLedgerLine,
} from './ledger/ledger-entry';
export {
  type LedgerFaultFacts,
  type LedgerTaskFacts,
  LedgerWriter,
  type LedgerWriterOptions,
} from './ledger/ledger-writer';
export { type ReadLedgerOptions, readLedger, type TornLedgerLine } from './ledger/read-ledger';
