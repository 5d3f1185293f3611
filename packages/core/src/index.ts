// Errors
export {
  type ErrorRecord,
  hasErrorCode,
  isErrorRecord,
  StemError,
  type StemErrorCode,
  type StemErrorOptions,
  toErrorRecord,
} from './errors/stem-error';
export {
  AdapterNotInstalledError,
  AlreadyExistsError,
  ArgumentsInvalidError,
  CapabilityNotSupportedError,
  ClosedError,
  EnvelopeInvalidError,
  LeaseLostError,
  NotFoundError,
  PayloadTooLargeError,
  ResultTimeoutError,
  redactUrl,
  TaskFailedError,
  TaskRevokedError,
  UnknownTaskError,
  UrlInvalidError,
  VersionConflictError,
} from './errors/errors';

// Envelope
export { ENVELOPE_VERSION, type Envelope, type JsonObject, type JsonValue } from './envelope/envelope';
export {
  DEFAULT_ENVELOPE_LIMITS,
  decodeEnvelope,
  encodeEnvelope,
  type EnvelopeLimits,
  validateEnvelope,
} from './envelope/envelope-codec';
export { type CreateEnvelopeInput, createEnvelope } from './envelope/create-envelope';

// Broker
export type {
  Broker,
  BrokerCapabilities,
  ConsumeOptions,
  DeadLetter,
  DeadLetterPage,
  DeadLetterQuery,
  DeadLetterReason,
  DeadLetterReasonCode,
  Delivery,
  DeliveryHandler,
  NackOptions,
  QueueStats,
  Subscription,
} from './broker/broker';
export {
  IN_MEMORY_BROKER_CAPABILITIES,
  InMemoryBroker,
  type InMemoryBrokerOptions,
  InMemoryBrokerState,
} from './broker/in-memory-broker';
export { assertBrokerCapability, DEFAULT_DELIVERY_LIMIT, DEFAULT_LEASE_MS } from './broker/broker-capabilities';

// Results
export {
  isTerminalStatus,
  type ResultMeta,
  type ResultRecord,
  TERMINAL_STATUSES,
  type TaskProgress,
  type TaskStatus,
} from './result/result-record';
export type {
  GroupInit,
  GroupMemberResult,
  GroupProgress,
  GroupState,
  ResultBackend,
  ResultBackendCapabilities,
  SetResultOptions,
  WaitOptions,
} from './result/result-backend';
export { InMemoryResultBackend, InMemoryResultBackendState } from './result/in-memory-result-backend';

// Schedules
export type {
  CalendarSpec,
  ClockedSpec,
  CronSpec,
  IntervalSpec,
  JitterMode,
  MissedRunPolicy,
  OverlapPolicy,
  ScheduleEntry,
  ScheduleRun,
  ScheduleSpec,
  SolarEvent,
  SolarSpec,
} from './schedule/schedule-entry';
export type {
  ClaimOutcome,
  ClaimRequest,
  ListEntriesQuery,
  NewScheduleEntry,
  OccurrenceClaim,
  ScheduleChange,
  ScheduleChangeListener,
  ScheduleEntryPatch,
  ScheduleStore,
  VersionCheck,
} from './schedule/schedule-store';
export { occurrenceId } from './schedule/occurrence-id';
export { InMemoryScheduleStore, InMemoryScheduleStoreState } from './schedule/in-memory-schedule-store';

// Rate limiting
export {
  type RateLimit,
  type RateLimitDecision,
  type RateLimiter,
  rateLimitKey,
} from './rate-limit/rate-limiter';
export { type TokenBucket, takeTokens } from './rate-limit/token-bucket';
export { InMemoryRateLimiter, InMemoryRateLimiterState } from './rate-limit/in-memory-rate-limiter';

// Locks, events, revocations
export type { Lock, LockStore } from './lock/lock-store';
export { InMemoryLockStore, InMemoryLockStoreState } from './lock/in-memory-lock-store';
export type {
  StemEvent,
  StemEventType,
  TaskLifecycleEvent,
  TaskProgressEvent,
  TaskRevokeRequestEvent,
  WorkerHeartbeatEvent,
} from './events/stem-event';
export type { EventBus, StemEventListener } from './events/event-bus';
export { InMemoryEventBus, InMemoryEventBusState } from './events/in-memory-event-bus';
export type { Revocation, RevocationStore } from './revocation/revocation-store';
export {
  InMemoryRevocationStore,
  InMemoryRevocationStoreState,
} from './revocation/in-memory-revocation-store';

// Tasks
export {
  defineTask,
  redactArgs,
  type TaskArgs,
  type TaskConfig,
  type TaskConfigWithSchema,
  type TaskContext,
  type TaskDefinition,
  type TaskHandler,
  type TaskOptions,
  type TaskRateLimit,
  type TaskResultOf,
} from './task/define-task';
export { TaskRegistry } from './task/task-registry';
export {
  computeRetryDelayMs,
  type ErrorMatcher,
  type FailureFacts,
  matchesError,
  type ResolvedRetryPolicy,
  type RetryPolicyOptions,
  resolveRetryPolicyOptions,
  shouldRetry,
} from './task/retry-policy';
export { type ParsedArguments, validateTaskArguments } from './task/validate-arguments';

// Middleware
export {
  type ExecuteContext,
  type ExecuteMiddleware,
  type Middleware,
  type PublishMiddleware,
  runExecuteMiddleware,
  runPublishMiddleware,
} from './middleware/middleware';

// Connecting by URL
export {
  type AdapterModule,
  type AdapterSet,
  type ConnectOptions,
  connectAdapters,
  ADAPTER_SCHEMES,
  parseConnectionUrl,
} from './adapters/connect-adapters';
export { closestMatch } from './adapters/closest-match';

// Producer client
export { type EnqueueOptions, Stem, type StemOptions } from './client/stem';
export { TaskResult, type TaskResultGetOptions } from './client/task-result';

// Test-only failpoints (inert unless STEM_FAILPOINTS names them)
export { failpoint, type FailpointAction } from './failpoint/failpoint';
