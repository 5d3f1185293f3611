/**
 * Test-only failpoints: product code calls `failpoint('worker.after-handler-before-ack')`
 * at moments where a crash is interesting, and reliability tests make the process die,
 * pause, throw or stall exactly there by naming the point in `STEM_FAILPOINTS`. Random
 * kills rarely land between "handler finished" and "ack sent"; a failpoint always does.
 * Runs on whichever thread calls it; `kill` and `stop` act on the whole process.
 */

/** What a named failpoint does when it fires. */
export type FailpointAction =
  /** SIGKILL the own process: a real crash, no exit handlers, no cleanup. */
  | { kind: 'kill' }
  /** `process.exit(code)`: exit handlers run. */
  | { kind: 'exit'; code: number }
  /** Throw a `FailpointError` (code `FAILPOINT`) from the call site. */
  | { kind: 'throw' }
  /** Stall the caller: `failpoint()` returns a promise resolved after `delayMs`. */
  | { kind: 'delay'; delayMs: number }
  /**
   * SIGSTOP the own process. Without `resumeAfterMs` it stays stopped until someone
   * sends SIGCONT; with it, a detached helper process sends SIGCONT after that long
   * (or once the helper has started, if node takes longer than that to boot).
   */
  | { kind: 'stop'; resumeAfterMs?: number };

/** One parsed `name=action[@N][%P]` entry of `STEM_FAILPOINTS`. */
export interface FailpointRule {
  name: string;
  action: FailpointAction;
  /** Fire only on this hit (1-based) of the point in this process. */
  onlyOnHit?: number;
  /** Fire on each hit with this probability in percent (0 < P ≤ 100). */
  percent?: number;
}

/** The environment variable naming the active failpoints. */
export const FAILPOINTS_ENV = 'STEM_FAILPOINTS';
/** Seed for `%P` draws; the same seed gives the same firing pattern. @default 1 */
export const FAILPOINTS_SEED_ENV = 'STEM_FAILPOINTS_SEED';

/** Thrown at the call site by a failpoint whose action is `throw`. */
export class FailpointError extends Error {
  readonly code = 'FAILPOINT';
  readonly retryable = true;
  readonly failpoint: string;
  constructor(name: string, hit: number) {
    super(`failpoint "${name}" fired (hit ${hit})`);
    this.name = 'FailpointError';
    this.failpoint = name;
  }
}

/** `STEM_FAILPOINTS` could not be parsed; the message names the offending entry. */
export class FailpointSpecError extends Error {
  readonly code = 'FAILPOINT_SPEC_INVALID';
  readonly retryable = false;
  constructor(entry: string, problem: string) {
    super(`invalid ${FAILPOINTS_ENV} entry "${entry}": ${problem}`);
    this.name = 'FailpointSpecError';
  }
}

interface ActiveFailpoint {
  rule: FailpointRule;
  hits: number;
}

interface FailpointState {
  points: Map<string, ActiveFailpoint>;
  random: () => number;
}

// undefined: env not read yet; null: nothing configured (the common, inert case).
let state: FailpointState | null | undefined;
// A bad spec keeps failing on every call rather than going quietly inert.
let specError: FailpointSpecError | undefined;

/**
 * Marks a named moment in product code. Does nothing (one comparison, no allocation)
 * unless `STEM_FAILPOINTS` names `name`; then performs the configured action. Callers
 * `await` it so `delay` and `stop(ms)` hold the caller at that point.
 *
 * @throws FailpointError when the configured action is `throw`.
 * @throws FailpointSpecError on the first (and every later) call if the env is invalid.
 */
export function failpoint(name: string): void | Promise<void> {
  if (state === null) return;
  if (state === undefined) state = loadState();
  if (state === null) return;
  const point = state.points.get(name);
  if (point === undefined) return;
  point.hits += 1;
  const { rule } = point;
  if (rule.onlyOnHit !== undefined && point.hits !== rule.onlyOnHit) return;
  if (rule.percent !== undefined && state.random() * 100 >= rule.percent) return;
  return fire(rule, point.hits);
}

/** Forgets the parsed env so the next call reads `STEM_FAILPOINTS` again. Tests only. */
export function resetFailpointsForTests(): void {
  state = undefined;
  specError = undefined;
}

/**
 * Parses a `STEM_FAILPOINTS` value: entries separated by `;`, each
 * `name=action[@N][%P]` with action one of `kill`, `exit(code)`, `throw`, `delay(ms)`,
 * `stop`, `stop(ms)`. `@N` fires only on the Nth hit; `%P` fires with P percent chance.
 *
 * @throws FailpointSpecError naming the first bad entry.
 */
export function parseFailpoints(spec: string): FailpointRule[] {
  const rules: FailpointRule[] = [];
  const seen = new Set<string>();
  for (const raw of spec.split(';')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const rule = parseEntry(entry);
    if (seen.has(rule.name)) throw new FailpointSpecError(entry, `"${rule.name}" is named twice`);
    seen.add(rule.name);
    rules.push(rule);
  }
  return rules;
}

function loadState(): FailpointState | null {
  if (specError !== undefined) throw specError;
  const spec = process.env[FAILPOINTS_ENV];
  if (spec === undefined || spec.trim() === '') return null;
  let rules: FailpointRule[];
  try {
    rules = parseFailpoints(spec);
  } catch (error) {
    if (error instanceof FailpointSpecError) specError = error;
    throw error;
  }
  if (rules.length === 0) return null;
  const points = new Map(rules.map((rule) => [rule.name, { rule, hits: 0 }]));
  return { points, random: seededDraws(readSeed()) };
}

function readSeed(): number {
  const raw = process.env[FAILPOINTS_SEED_ENV];
  if (raw === undefined || raw.trim() === '') return 1;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) {
    throw new FailpointSpecError(`${FAILPOINTS_SEED_ENV}=${raw}`, 'the seed must be an integer');
  }
  return seed;
}

const NAME_PATTERN = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
const ENTRY_PATTERN = /^([^=]+)=([a-z]+)(?:\(([^)]*)\))?(?:@([^%]*))?(?:%(.*))?$/;

function parseEntry(entry: string): FailpointRule {
  const match = ENTRY_PATTERN.exec(entry);
  if (match === null) {
    throw new FailpointSpecError(entry, 'expected name=action[@N][%P], e.g. worker.x=kill@2');
  }
  const [, rawName = '', verb = '', argument, hit, percent] = match;
  const name = rawName.trim();
  if (!NAME_PATTERN.test(name)) {
    throw new FailpointSpecError(entry, `"${name}" is not a failpoint name (a.b-c, lowercase)`);
  }
  const rule: FailpointRule = { name, action: parseAction(entry, verb, argument) };
  if (hit !== undefined) rule.onlyOnHit = parseInteger(entry, hit, '@N', 1);
  if (percent !== undefined) {
    const value = Number(percent);
    if (percent.trim() === '' || !(value > 0 && value <= 100)) {
      throw new FailpointSpecError(entry, `%P must be a percentage in (0, 100], got "${percent}"`);
    }
    rule.percent = value;
  }
  return rule;
}

function parseAction(entry: string, verb: string, argument: string | undefined): FailpointAction {
  const noArgument = (action: FailpointAction): FailpointAction => {
    if (argument !== undefined) throw new FailpointSpecError(entry, `${verb} takes no argument`);
    return action;
  };
  switch (verb) {
    case 'kill':
      return noArgument({ kind: 'kill' });
    case 'throw':
      return noArgument({ kind: 'throw' });
    case 'exit':
      return { kind: 'exit', code: parseInteger(entry, argument, 'exit(code)', 0) };
    case 'delay':
      return { kind: 'delay', delayMs: parseInteger(entry, argument, 'delay(ms)', 0) };
    case 'stop':
      return argument === undefined
        ? { kind: 'stop' }
        : { kind: 'stop', resumeAfterMs: parseInteger(entry, argument, 'stop(ms)', 0) };
    default:
      throw new FailpointSpecError(
        entry,
        `unknown action "${verb}" (expected kill, exit(code), throw, delay(ms), stop or stop(ms))`,
      );
  }
}

function parseInteger(entry: string, raw: string | undefined, what: string, min: number): number {
  const value = Number(raw);
  if (raw === undefined || raw.trim() === '' || !Number.isSafeInteger(value) || value < min) {
    throw new FailpointSpecError(entry, `${what} needs an integer ≥ ${min}, got "${raw ?? ''}"`);
  }
  return value;
}

function fire(rule: FailpointRule, hit: number): void | Promise<void> {
  const { action } = rule;
  // stderr is synchronous for files and pipes on Linux, so this line is out before a kill.
  process.stderr.write(`stem failpoint ${rule.name} fired: ${action.kind} (hit ${hit})\n`);
  switch (action.kind) {
    case 'kill':
      process.kill(process.pid, 'SIGKILL');
      return;
    case 'exit':
      return process.exit(action.code);
    case 'throw':
      throw new FailpointError(rule.name, hit);
    case 'delay':
      return new Promise((resolve) => setTimeout(resolve, action.delayMs));
    case 'stop':
      if (action.resumeAfterMs !== undefined) return stopAndResume(action.resumeAfterMs);
      process.kill(process.pid, 'SIGSTOP');
      return;
  }
}

// The helper waits until this process is really stopped before it may resume it, so a
// fast helper cannot send SIGCONT before the SIGSTOP lands and leave us stopped for good.
// It resumes at `resumeAt` (epoch ms) or, if it booted slower than that, right away.
const RESUME_HELPER = `
const [pid, resumeAt] = process.argv.slice(1).map(Number);
const fs = require('node:fs');
const stopped = () => {
  try { const s = fs.readFileSync('/proc/' + pid + '/stat', 'utf8'); return s[s.lastIndexOf(')') + 2] === 'T'; }
  catch { return true; }
};
const resume = () => { try { process.kill(pid, 'SIGCONT'); } catch {} };
const wait = () => (stopped() ? setTimeout(resume, Math.max(0, resumeAt - Date.now())) : setTimeout(wait, 2));
wait();
`;

async function stopAndResume(resumeAfterMs: number): Promise<void> {
  // Imported here so core's import graph stays free of child_process until used.
  const { spawn } = await import('node:child_process');
  const resumeAt = Date.now() + resumeAfterMs;
  const helper = spawn(
    process.execPath,
    ['-e', RESUME_HELPER, String(process.pid), String(resumeAt)],
    {
      detached: true,
      stdio: 'ignore',
    },
  );
  helper.unref();
  process.kill(process.pid, 'SIGSTOP');
}

/** A small deterministic generator (mulberry32 construction) for `%P` draws. */
function seededDraws(seed: number): () => number {
  let current = seed >>> 0;
  return () => {
    current = (current + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(current ^ (current >>> 15), current | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}
