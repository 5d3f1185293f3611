/**
 * Runs a settled task's continuation frames, innermost first: a chain frame launches
 * the next step with the result (or, on failure, marks the skipped steps failed); a
 * links frame publishes on-success or on-error links; a member frame reports to its
 * group and goes on only if this report decided the group. Main thread of a worker.
 */
import type { ErrorRecord, JsonValue } from '@stem/core';
import type { CanvasFailure, ContinuationFrame } from '../node/canvas-node';
import { resultIdOf } from '../node/freeze-canvas';
import { writeGroupRecord } from './group-record';
import { type LaunchContext, launchNode } from './launch-node';
import { type MemberReporter, reportMember } from './report-member';

/** What the finished node produced. */
export type NodeOutcome =
  | { ok: true; value: JsonValue }
  | { ok: false; status: 'FAILURE' | 'REVOKED'; failure: CanvasFailure };

export async function resumeContinuation(
  context: LaunchContext,
  frames: readonly ContinuationFrame[],
  outcome: NodeOutcome,
  reporter: MemberReporter,
): Promise<void> {
  let current = outcome;
  let launching = context;
  for (let depth = 0; depth < frames.length; depth += 1) {
    const frame = frames[depth]!;
    const rest = frames.slice(depth + 1);
    switch (frame.f) {
      case 'chain': {
        if (current.ok && (await abortedGroup(launching, rest)) === undefined) {
          const [next, ...after] = frame.steps;
          const below: ContinuationFrame[] =
            after.length === 0 ? rest : [{ f: 'chain', steps: after }, ...rest];
          await launchNode(launching, next!, current.value, below);
          return;
        }
        const failed = current.ok ? await revokedByGroup(launching, rest, reporter) : current;
        await markSkipped(launching, frame, failed);
        current = failed;
        break;
      }
      case 'links':
        await publishLinks(launching, frame, current);
        break;
      case 'member': {
        const decided = await reportMember(launching, frame, current, reporter);
        if (decided === undefined) return;
        current = decided;
        // Whatever the group's decider publishes from here on is guarded.
        launching = { ...launching, guarded: true };
        break;
      }
    }
  }
}

/** The first enclosing fail-fast group that has failed (its id is revoked), if any. */
async function abortedGroup(
  context: LaunchContext,
  frames: readonly ContinuationFrame[],
): Promise<string | undefined> {
  const store = context.adapters.revocationStore;
  if (store === undefined) return undefined;
  for (const frame of frames) {
    if (frame.f !== 'member' || frame.strategy !== 'fail-fast') continue;
    if ((await store.get(frame.groupId)) !== undefined) return frame.groupId;
  }
  return undefined;
}

async function revokedByGroup(
  context: LaunchContext,
  frames: readonly ContinuationFrame[],
  reporter: MemberReporter,
): Promise<Extract<NodeOutcome, { ok: false }>> {
  const groupId = (await abortedGroup(context, frames)) ?? 'unknown';
  const error: ErrorRecord = {
    type: 'TaskRevokedError',
    code: 'TASK_REVOKED',
    message: `group ${groupId} failed fast; the rest of this member was not started`,
    retryable: false,
  };
  return {
    ok: false,
    status: 'REVOKED',
    failure: { failedTaskId: reporter.taskId, error, groupId },
  };
}

/** A chain that stops early still ends: its final result id gets the failure. */
async function markSkipped(
  context: LaunchContext,
  frame: Extract<ContinuationFrame, { f: 'chain' }>,
  outcome: Extract<NodeOutcome, { ok: false }>,
): Promise<void> {
  const last = frame.steps[frame.steps.length - 1];
  if (last === undefined) return;
  await writeGroupRecord(context.adapters, resultIdOf(last), {
    ok: false,
    status: outcome.status,
    error: outcome.failure.error,
    note: `not run: task ${outcome.failure.failedTaskId} did not succeed`,
  });
}

async function publishLinks(
  context: LaunchContext,
  frame: Extract<ContinuationFrame, { f: 'links' }>,
  outcome: NodeOutcome,
): Promise<void> {
  const links = outcome.ok ? frame.onSuccess : frame.onError;
  const input = outcome.ok ? outcome.value : (outcome.failure as unknown as JsonValue);
  for (const link of links) await launchNode(context, link, input, []);
}
