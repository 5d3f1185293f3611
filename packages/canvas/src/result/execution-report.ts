/**
 * The execution report of a canvas: per member, its status, attempts, duration and
 * error, and the group's outcome under its failure strategy. Built from what the
 * result backend holds, at any time (members still running show as such).
 */
import type { ErrorRecord, ResultBackend, ResultRecord, TaskStatus } from '@stem/core';
import type { CanvasNode, FailureStrategy } from '../node/canvas-node';
import { groupsOf, taskIdsOf } from '../node/freeze-canvas';

export interface MemberReport {
  /** Position in the group (or step number in a chain). */
  index: number;
  /** The task that reported (for a nested member: its last task). */
  taskId: string;
  status: TaskStatus;
  /** Attempts the reporting task took (1 = no retry). */
  attempts?: number;
  /** From start to finish of the reporting task's last attempt, ms. */
  durationMs?: number;
  error?: ErrorRecord;
}

export type ReportOutcome = 'PENDING' | 'SUCCESS' | 'FAILURE' | 'COMPLETED_WITH_ERRORS';

export interface ExecutionReport {
  /** The outermost group of the canvas; undefined for a task or a chain of tasks. */
  groupId?: string;
  strategy?: FailureStrategy;
  /**
   * SUCCESS: every member succeeded; FAILURE: the group failed (fail-fast) or a step of a
   * chain failed; COMPLETED_WITH_ERRORS: a `continue` group finished with failed members.
   */
  outcome: ReportOutcome;
  /** Under fail-fast, the task whose failure failed the group. */
  failedTaskId?: string;
  members: MemberReport[];
}

export async function buildExecutionReport(
  backend: ResultBackend,
  node: CanvasNode,
): Promise<ExecutionReport> {
  const group = groupsOf(node)[0];
  if (group === undefined) return reportSteps(backend, taskIdsWithoutLinks(node));
  const state = await backend.getGroup(group.id);
  const members = await Promise.all(
    group.members.map(async (member, index) => {
      const reported = state?.results[index];
      if (reported !== undefined) return memberReport(index, reported);
      const own = member.kind === 'task' ? await backend.get(member.id) : undefined;
      return own === undefined
        ? { index, taskId: member.id, status: 'PENDING' as const }
        : memberReport(index, own);
    }),
  );
  const claimant = state?.callbackClaimant;
  const complete = state !== undefined && state.completed === state.size;
  const failedFast = claimant?.startsWith('fail:') === true;
  const anyFailed = members.some(
    (member) => member.status === 'FAILURE' || member.status === 'REVOKED',
  );
  const outcome: ReportOutcome = failedFast
    ? 'FAILURE'
    : !complete
      ? 'PENDING'
      : !anyFailed
        ? 'SUCCESS'
        : group.strategy === 'continue'
          ? 'COMPLETED_WITH_ERRORS'
          : 'FAILURE';
  return {
    groupId: group.id,
    strategy: group.strategy,
    outcome,
    ...(failedFast ? { failedTaskId: claimant!.slice('fail:'.length) } : {}),
    members,
  };
}

async function reportSteps(backend: ResultBackend, taskIds: string[]): Promise<ExecutionReport> {
  const members = await Promise.all(
    taskIds.map(async (taskId, index) => {
      const record = await backend.get(taskId);
      return record === undefined
        ? { index, taskId, status: 'PENDING' as const }
        : memberReport(index, record);
    }),
  );
  const failed = members.find(
    (member) => member.status === 'FAILURE' || member.status === 'REVOKED',
  );
  const done = members.every((member) => member.status === 'SUCCESS');
  return {
    outcome: failed !== undefined ? 'FAILURE' : done ? 'SUCCESS' : 'PENDING',
    ...(failed === undefined ? {} : { failedTaskId: failed.taskId }),
    members,
  };
}

function memberReport(index: number, record: ResultRecord): MemberReport {
  const { attempt, startedAt, finishedAt } = record.meta;
  return {
    index,
    taskId: record.taskId,
    status: record.status,
    ...(attempt === undefined ? {} : { attempts: attempt }),
    ...(startedAt === undefined || finishedAt === undefined
      ? {}
      : { durationMs: finishedAt - startedAt }),
    ...(record.error === undefined ? {} : { error: record.error }),
  };
}

function taskIdsWithoutLinks(node: CanvasNode): string[] {
  return taskIdsOf({ ...node, links: {} } as CanvasNode);
}
