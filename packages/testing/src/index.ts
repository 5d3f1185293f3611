export {
  CaseResources,
  type ConformanceCase,
  describeCases,
  eventually,
  runConformanceCase,
  sleep,
} from './conformance/conformance-case';
// Reliability harness: ledger, checker, fault driver
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
