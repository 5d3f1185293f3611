/** Every promise a worker makes whatever its broker, in the order the suite runs them. */
import { closePastGraceHandsMessageBack } from './close-past-grace-hands-message-back';
import { expiredTaskSkipped } from './expired-task-skipped';
import { gracefulCloseReleasesUnstarted } from './graceful-close-releases-unstarted';
import { idempotencyKeyRunsOnce } from './idempotency-key-runs-once';
import { leaseKeptAliveForLongTask } from './lease-kept-alive-for-long-task';
import { progressReachesResultMeta } from './progress-reaches-result-meta';
import { rateLimitHoldsAcrossTasks } from './rate-limit-holds-across-tasks';
import { retriesWithGrowingDelaysThenDeadLetters } from './retries-with-growing-delays-then-dead-letters';
import { revokeTerminateAbortsRunningTask } from './revoke-terminate-aborts-running-task';
import { revokedTaskSkipped } from './revoked-task-skipped';
import { runsTaskThenAcks } from './runs-task-then-acks';
import { secretArgsRedacted } from './secret-args-redacted';
import { unknownTaskDeadLettered } from './unknown-task-dead-lettered';
import type { WorkerCase } from './worker-case-context';

export const workerConformanceCases: readonly WorkerCase[] = [
  runsTaskThenAcks,
  retriesWithGrowingDelaysThenDeadLetters,
  unknownTaskDeadLettered,
  expiredTaskSkipped,
  revokedTaskSkipped,
  leaseKeptAliveForLongTask,
  gracefulCloseReleasesUnstarted,
  closePastGraceHandsMessageBack,
  rateLimitHoldsAcrossTasks,
  idempotencyKeyRunsOnce,
  revokeTerminateAbortsRunningTask,
  progressReachesResultMeta,
  secretArgsRedacted,
];
