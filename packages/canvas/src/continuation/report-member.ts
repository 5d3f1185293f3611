/**
 * A member's report to its group, and the group's decision. Every member reports once
 * per index (the backend counts distinct indexes, so a redelivered member is harmless).
 * The group is decided by whoever wins its callback claim: under fail-fast the first
 * member that fails for good (it then revokes the siblings still pending or running);
 * otherwise the member whose report completed the group. A claimant that crashes after
 * winning is granted again on redelivery, so the decision is never lost nor taken twice.
 */
import { type ErrorRecord, failpoint, type JsonValue, type ResultRecord } from '@stem/core';
import type { MemberFrame } from '../node/canvas-node';
import { DEFAULT_REVOCATION_KEEP_MS } from './canvas-adapters';
import { type GroupDecision, writeGroupRecord } from './group-record';
import type { LaunchContext } from './launch-node';
import type { NodeOutcome } from './resume-continuation';

/** The settled task reporting, and the terminal record its worker wrote. */
export interface MemberReporter {
  taskId: string;
  record: ResultRecord;
}

/** The group's outcome if this report decided it, else undefined. */
export async function reportMember(
  context: LaunchContext,
  frame: MemberFrame,
  outcome: NodeOutcome,
  reporter: MemberReporter,
): Promise<NodeOutcome | undefined> {
  const { resultBackend } = context.adapters;
  const { groupId, index } = frame;
  const progress = await resultBackend.addGroupResult({
    groupId,
    index,
    record: memberRecord(outcome, reporter),
  });
  if (!outcome.ok && frame.strategy === 'fail-fast') {
    if (!(await resultBackend.claimGroupCallback(groupId, `fail:${reporter.taskId}`))) {
      return undefined;
    }
    await revokeSiblings(context, frame);
    await writeGroupRecord(context.adapters, groupId, {
      ok: false,
      status: 'FAILURE',
      error: outcome.failure.error,
      note: `failed fast: member ${index} (task ${outcome.failure.failedTaskId}) did not succeed`,
    });
    return { ok: false, status: 'FAILURE', failure: { ...outcome.failure, groupId } };
  }
  if (progress.completed < progress.size) return undefined;
  if (!(await resultBackend.claimGroupCallback(groupId, `done:${reporter.taskId}`))) {
    return undefined;
  }
  // Reliability tests crash here: the claim is taken, nothing is published yet.
  await failpoint('canvas.after-callback-claim');
  const state = await resultBackend.getGroup(groupId);
  const decision = decideGroup(frame, state?.results ?? []);
  await writeGroupRecord(context.adapters, groupId, decision);
  if (decision.ok) return decision;
  return {
    ok: false,
    status: 'FAILURE',
    failure: { failedTaskId: decision.failedTaskId, error: decision.error, groupId },
  };
}

/** What the member stores in the group: its own record, with the node's outcome. */
function memberRecord(outcome: NodeOutcome, reporter: MemberReporter): ResultRecord {
  const { meta } = reporter.record;
  const now = Date.now();
  if (outcome.ok) {
    return {
      taskId: reporter.taskId,
      status: 'SUCCESS',
      payload: outcome.value,
      meta,
      updatedAt: now,
    };
  }
  return {
    taskId: reporter.taskId,
    status: outcome.status,
    error: outcome.failure.error,
    meta,
    updatedAt: now,
  };
}

/**
 * The complete group's result. Under fail-fast a failure can still be found here when the
 * failing member's claim lost the race to the completing member: the group then fails.
 */
function decideGroup(
  frame: MemberFrame,
  results: ReadonlyArray<ResultRecord | undefined>,
):
  | (GroupDecision & { ok: true })
  | { ok: false; error: ErrorRecord; failedTaskId: string; status: 'FAILURE' } {
  if (frame.strategy === 'fail-fast') {
    const failed = results.find((record) => record !== undefined && record.status !== 'SUCCESS');
    if (failed !== undefined) {
      return {
        ok: false,
        status: 'FAILURE',
        error: failed.error ?? revokedError(failed.taskId),
        failedTaskId: failed.taskId,
      };
    }
    return { ok: true, value: results.map((record) => record?.payload ?? null) };
  }
  const outcomes = results.map((record): JsonValue => {
    if (record?.status === 'SUCCESS') return { status: 'SUCCESS', value: record.payload ?? null };
    const error = record?.error ?? revokedError(record?.taskId ?? '?');
    const status = record?.status === 'REVOKED' ? 'REVOKED' : 'FAILURE';
    return { status, error: error as unknown as JsonValue };
  });
  return { ok: true, value: outcomes };
}

function revokedError(taskId: string): ErrorRecord {
  return {
    type: 'TaskRevokedError',
    code: 'TASK_REVOKED',
    message: `task ${taskId} was revoked`,
    retryable: false,
  };
}

/**
 * Fail-fast: marks the group as failed (its id in the revocation store, which stops
 * nested members at their next step) and revokes every sibling that has not reported,
 * aborting running ones through a revoke request. Without a revocation store the
 * siblings run to the end; the group is failed all the same.
 */
async function revokeSiblings(context: LaunchContext, frame: MemberFrame): Promise<void> {
  const { revocationStore, eventBus, resultBackend } = context.adapters;
  if (revocationStore === undefined) return;
  const revokedAt = Date.now();
  const expiresAt = revokedAt + (context.adapters.revocationKeepMs ?? DEFAULT_REVOCATION_KEEP_MS);
  const reason = `group ${frame.groupId} failed fast (member ${frame.index})`;
  await revocationStore.revoke({
    taskId: frame.groupId,
    reason,
    terminate: false,
    revokedAt,
    expiresAt,
  });
  const state = await resultBackend.getGroup(frame.groupId);
  const pending: string[] = [];
  for (let index = 0; index < frame.size; index += 1) {
    if (index !== frame.index && state?.results[index] === undefined) {
      pending.push(`${frame.groupId}:${index}`);
    }
  }
  for (const taskId of pending) {
    await revocationStore.revoke({ taskId, reason, terminate: true, revokedAt, expiresAt });
    await eventBus?.publish({
      type: 'task.revoke-requested',
      taskId,
      reason,
      terminate: true,
      at: revokedAt,
    });
  }
}
