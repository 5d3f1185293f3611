/**
 * Pure overlap rules applied to a plan once the previous run's state is known:
 * - allow: the plan as is;
 * - skip: while the previous run runs, every due occurrence is skipped; otherwise at
 *   most one fires (the newest), so a catch-up batch never overlaps itself;
 * - queue-one: while the previous run runs, nothing happens and the entry waits (its
 *   nextRunAt stays, which is the queue of one); once it finished, the waiting
 *   occurrence fires, occurrences due while it ran are skipped, later ones follow the
 *   recovery policy, and at most one fires per pass.
 */
import type { OverlapPolicy } from '@stem/core';
import type { OccurrencePlan } from './plan-occurrences';
import type { PreviousRunState } from './previous-run-state';

export interface OverlapDecision {
  fire: number[];
  skipped: number[];
  missed: number[];
  /** queue-one: the previous run still runs; look again later. */
  wait: boolean;
}

export function applyOverlap(
  plan: OccurrencePlan,
  policy: OverlapPolicy,
  state: PreviousRunState,
  firstDue: number,
): OverlapDecision {
  let keepFirst = false;
  const decision: OverlapDecision = {
    fire: plan.fire,
    skipped: [],
    missed: plan.missed,
    wait: false,
  };
  if (policy === 'allow' || plan.fire.length + plan.missed.length === 0) return decision;
  if (state.kind === 'running') {
    if (policy === 'queue-one') return { fire: [], skipped: [], missed: [], wait: true };
    return { fire: [], skipped: plan.fire, missed: plan.missed, wait: false };
  }
  if (policy === 'queue-one' && state.kind === 'finished' && state.finishedAt !== undefined) {
    const ranUntil = state.finishedAt;
    const during = [...plan.missed, ...plan.fire].filter((at) => at <= ranUntil && at !== firstDue);
    const queued = firstDue <= ranUntil ? [firstDue] : [];
    keepFirst = queued.length === 1;
    decision.skipped = during.sort((a, b) => a - b);
    decision.missed = plan.missed.filter((at) => at > ranUntil);
    decision.fire = [...queued, ...plan.fire.filter((at) => at > ranUntil)];
  }
  if (decision.fire.length > 1) {
    const keep = keepFirst ? 0 : decision.fire.length - 1;
    const kept = decision.fire[keep]!;
    decision.skipped = [...decision.skipped, ...decision.fire.filter((at) => at !== kept)].sort(
      (a, b) => a - b,
    );
    decision.fire = [kept];
  }
  return decision;
}
