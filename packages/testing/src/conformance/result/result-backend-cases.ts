/** Every promise a ResultBackend makes, in the order the suite runs them. */
import { chordCounterExactUnderConcurrency } from './chord-counter-exact-under-concurrency';
import { forgetRemovesRecord } from './forget-removes-record';
import { groupCallbackClaimedOnce } from './group-callback-claimed-once';
import type { ResultBackendCase } from './result-backend-case';
import { resultTtlExpiry } from './result-ttl-expiry';
import { setThenGet } from './set-then-get';
import { terminalNotOverwrittenByLateStart } from './terminal-not-overwritten-by-late-start';
import { updateMetaMerges } from './update-meta-merges';
import { waiterRejectsOnAbort } from './waiter-rejects-on-abort';
import { waiterResolvesAtOnceWhenTerminal } from './waiter-resolves-at-once-when-terminal';
import { waiterTimesOut } from './waiter-times-out';
import { waiterWakesOnCompletion } from './waiter-wakes-on-completion';

export const resultBackendConformanceCases: readonly ResultBackendCase[] = [
  setThenGet,
  resultTtlExpiry,
  waiterWakesOnCompletion,
  waiterResolvesAtOnceWhenTerminal,
  waiterTimesOut,
  waiterRejectsOnAbort,
  terminalNotOverwrittenByLateStart,
  forgetRemovesRecord,
  updateMetaMerges,
  chordCounterExactUnderConcurrency,
  groupCallbackClaimedOnce,
];
