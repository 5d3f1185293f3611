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
// Worker conformance suite (the worker is injected: this package never imports @stem/worker)
export {
  describeWorkerConformance,
  type WorkerConformanceOptions,
} from './conformance/worker/describe-worker-conformance';
export { OperationSequence } from './conformance/worker/operation-sequence';
export {
  type RecordedDelivery,
  type RecordedSettlement,
  RecordingBroker,
  type SettlementKind,
} from './conformance/worker/recording-broker';
export {
  type RecordedGrant,
  RecordingRateLimiter,
} from './conformance/worker/recording-rate-limiter';
export {
  type RecordedWrite,
  RecordingResultBackend,
} from './conformance/worker/recording-result-backend';
export {
  assertNoWorkerErrors,
  type CaseWorkerSettings,
  type ConformanceWorker,
  type ConformanceWorkerOptions,
  createWorkerCaseContext,
  openWorkerCaseSession,
  WORKER_PATIENCE_MS,
  type WorkerCase,
  type WorkerCaseConnection,
  type WorkerCaseContext,
  type WorkerCaseSession,
  type WorkerConformanceAdapters,
  waitForQueueStats,
} from './conformance/worker/worker-case-context';
export { workerConformanceCases } from './conformance/worker/worker-cases';
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
// Memory host: the in-memory adapters served to other processes over a Unix socket
export { connectMemoryHost, type MemoryHostAdapters } from './memory-host/connect-memory-host';
export type { MemoryHostStates } from './memory-host/hosted-adapter';
export {
  MemoryAdapterHost,
  type MemoryAdapterHostOptions,
} from './memory-host/memory-adapter-host';
export {
  MemoryHostConnection,
  type MemoryHostConnectOptions,
} from './memory-host/memory-host-connection';
export {
  DEFAULT_MEMORY_HOST_NAMESPACE,
  MEMORY_HOST_PROTOCOL_VERSION,
} from './memory-host/memory-host-protocol';
export { MemoryHostUnreachableError } from './memory-host/memory-host-unreachable-error';
export { RemoteBroker } from './memory-host/remote-broker';
export { RemoteEventBus } from './memory-host/remote-event-bus';
export { RemoteRateLimiter } from './memory-host/remote-rate-limiter';
export { RemoteResultBackend } from './memory-host/remote-result-backend';
export { RemoteRevocationStore } from './memory-host/remote-revocation-store';
export {
  requireService,
  type TestService,
  testServiceUrl,
} from './services/require-service';
