// Errors

export { closestMatch } from './adapters/closest-match';
// Connecting by URL
export {
  ADAPTER_SCHEMES,
  type AdapterModule,
  type AdapterRole,
  type AdapterSet,
  type ConnectOptions,
  connectAdapters,
  type ParsedConnectionUrl,
  parseConnectionUrl,
} from './adapters/connect-adapters';
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
  assertBrokerCapability,
  type BrokerCapabilityRequest,
  DEFAULT_DELIVERY_LIMIT,
  DEFAULT_LEASE_MS,
} from './broker/broker-capabilities';
export {
  IN_MEMORY_BROKER_CAPABILITIES,
  InMemoryBroker,
  type InMemoryBrokerOptions,
  InMemoryBrokerState,
} from './broker/in-memory-broker';
export { invokeDeliveryHandler } from './broker/invoke-delivery-handler';
// Producer client
export {
  type ConnectStemOptions,
  type EnqueueOptions,
  type RevokeOptions,
  Stem,
  type StemOptions,
} from './client/stem';
export { TaskResult, type TaskResultGetOptions } from './client/task-result';
export { type CreateEnvelopeInput, createEnvelope } from './envelope/create-envelope';
// Envelope
export {
  ENVELOPE_VERSION,
  type Envelope,
  type JsonObject,
  type JsonValue,
} from './envelope/envelope';
export {
  DEFAULT_ENVELOPE_LIMITS,
  decodeEnvelope,
  type EnvelopeLimits,
  encodeEnvelope,
  validateEnvelope,
} from './envelope/envelope-codec';
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
  SoftTimeLimitExceededError,
  TaskFailedError,
  TaskRevokedError,
  TimeLimitExceededError,
  UnknownTaskError,
  UrlInvalidError,
  VersionConflictError,
  WorkerLostError,
} from './errors/errors';
export {
  type ErrorRecord,
  errorFromRecord,
  hasErrorCode,
  isErrorRecord,
  StemError,
  type StemErrorCode,
  type StemErrorOptions,
  toErrorRecord,
} from './errors/stem-error';
export type { EventBus, StemEventListener } from './events/event-bus';
export { InMemoryEventBus, InMemoryEventBusState } from './events/in-memory-event-bus';
export type {
  StemEvent,
  StemEventType,
  TaskLifecycleEvent,
  TaskProgressEvent,
  TaskRevokeRequestEvent,
  WorkerHeartbeatEvent,
} from './events/stem-event';
// Test-only failpoints (inert unless STEM_FAILPOINTS names them)
export { type FailpointAction, failpoint } from './failpoint/failpoint';
export { InMemoryLockStore, InMemoryLockStoreState } from './lock/in-memory-lock-store';
// Locks, events, revocations
export type { Lock, LockStore } from './lock/lock-store';
// Middleware
export {
  type ExecuteContext,
  type ExecuteMiddleware,
  type Middleware,
  type PublishMiddleware,
  runExecuteMiddleware,
  runPublishMiddleware,
} from './middleware/middleware';
export { InMemoryRateLimiter, InMemoryRateLimiterState } from './rate-limit/in-memory-rate-limiter';
// Rate limiting
export {
  type RateLimit,
  type RateLimitDecision,
  type RateLimiter,
  rateLimitKey,
} from './rate-limit/rate-limiter';
export { type TokenBucket, takeTokens } from './rate-limit/token-bucket';
export {
  InMemoryResultBackend,
  InMemoryResultBackendState,
} from './result/in-memory-result-backend';
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
// Results
export {
  isTerminalStatus,
  type ResultMeta,
  type ResultRecord,
  type TaskProgress,
  type TaskStatus,
  TERMINAL_STATUSES,
} from './result/result-record';
export {
  InMemoryRevocationStore,
  InMemoryRevocationStoreState,
} from './revocation/in-memory-revocation-store';
export type { Revocation, RevocationStore } from './revocation/revocation-store';
export {
  InMemoryScheduleStore,
  InMemoryScheduleStoreState,
} from './schedule/in-memory-schedule-store';
export { occurrenceId } from './schedule/occurrence-id';
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
  TakeOverOutcome,
  TakeOverRequest,
  VersionCheck,
} from './schedule/schedule-store';
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
export { TaskRegistry } from './task/task-registry';
export { type ParsedArguments, validateTaskArguments } from './task/validate-arguments';
