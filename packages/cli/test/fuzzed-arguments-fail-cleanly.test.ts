// 2,000 generated bad command lines (support/fuzz-arguments.ts): every one exits non-zero
// with one clear line on stderr and no stack trace; with --json, stdout is a JSON error
// object; and nothing reaches the broker or the stores. The 2,000 run in-process through
// run(), the very function the binary calls (spawning node+tsx 2,000 times would take
// half an hour on a 2-CPU machine); a sample of 24 of them also runs through the real spawned binary
// against Redis, whose namespace must stay empty.
import { randomUUID } from 'node:crypto';
import { seededRandom } from '@stem/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertOneCleanErrorLine,
  type CliOutcome,
  inBatches,
  runInProcess,
  spawnCli,
} from './support/cli-runner';
import { type FuzzCase, generateCase } from './support/fuzz-arguments';
import { RedisNamespace } from './support/redis-namespace';

const CASES = 2_000;
const SPAWNED = 24;
const SEED = 20_301;

let redis: RedisNamespace;
beforeAll(async () => {
  redis = await RedisNamespace.open();
});
afterAll(async () => {
  await redis.close();
});

/** What is wrong with one outcome, or undefined if it failed as it should. */
function problemWith(fuzz: FuzzCase, outcome: CliOutcome): string | undefined {
  const shown = JSON.stringify(fuzz.argv);
  if (outcome.code === 0) return `${shown} (${fuzz.defects}) succeeded: ${outcome.stdout}`;
  const stderrProblem = assertOneCleanErrorLine(outcome);
  if (stderrProblem !== undefined) return `${shown}: ${stderrProblem}`;
  const terminator = fuzz.argv.indexOf('--');
  const jsonFlag = fuzz.argv.indexOf('--json');
  const jsonMode = jsonFlag !== -1 && (terminator === -1 || jsonFlag < terminator);
  if (jsonMode) {
    try {
      const parsed = JSON.parse(outcome.stdout) as { error?: { exitCode?: number } };
      if (parsed.error?.exitCode !== outcome.code)
        return `${shown}: JSON error ${outcome.stdout} does not carry exit code ${outcome.code}`;
    } catch {
      return `${shown}: --json output does not parse: ${JSON.stringify(outcome.stdout)}`;
    }
  } else if (outcome.stdout !== '') {
    return `${shown}: printed on stdout although it failed: ${outcome.stdout}`;
  }
  return undefined;
}

describe('fuzzed command lines', () => {
  it(`all ${CASES} fail cleanly in-process and write nothing`, { timeout: 60_000 }, async () => {
    const url = `memory://fuzz-${randomUUID().slice(0, 8)}`;
    const random = seededRandom(SEED);
    const problems: string[] = [];
    const codes = new Set<number>();
    for (let index = 0; index < CASES; index += 1) {
      const fuzz = generateCase(random, url);
      const outcome = await runInProcess(fuzz.argv);
      codes.add(outcome.code);
      const problem = problemWith(fuzz, outcome);
      if (problem !== undefined) problems.push(problem);
    }
    expect(problems.slice(0, 10)).toEqual([]);
    // The defects reach several distinct refusals, not one catch-all.
    expect(codes.size).toBeGreaterThanOrEqual(5);
    expect(codes.has(1)).toBe(false);

    const queues = await runInProcess([
      'observe',
      'queues',
      '--queues',
      'fuzz,default',
      '--json',
      '--broker-url',
      url,
    ]);
    expect(JSON.parse(queues.stdout)).toEqual([
      { queue: 'fuzz', ready: 0, delayed: 0, inFlight: 0, dead: 0 },
      { queue: 'default', ready: 0, delayed: 0, inFlight: 0, dead: 0 },
    ]);
    const schedules = await runInProcess(['schedule', 'list', '--json', '--broker-url', url]);
    expect(JSON.parse(schedules.stdout)).toEqual([]);
  });

  it(
    `a sample of ${SPAWNED} fails the same way through the spawned binary, leaving Redis untouched`,
    { timeout: 90_000 },
    async () => {
      const random = seededRandom(SEED + 1);
      const sample: FuzzCase[] = [];
      while (sample.length < SPAWNED) {
        const fuzz = generateCase(random, redis.url);
        // An operating system cannot pass a NUL byte in argv; run() alone sees those.
        if (!fuzz.argv.some((word) => word.includes('\u0000'))) sample.push(fuzz);
      }
      const outcomes = await inBatches(sample, 4, (fuzz) => spawnCli(fuzz.argv));
      const problems = sample
        .map((fuzz, index) => problemWith(fuzz, outcomes[index]!))
        .filter((problem) => problem !== undefined);
      expect(problems).toEqual([]);
      // The in-process run gives the same exit code for the same command line.
      for (const [index, fuzz] of sample.entries()) {
        expect(
          (
            await runInProcess(
              fuzz.argv.map((word) => word.replace(redis.url, 'memory://fuzz-compare')),
            )
          ).code,
          JSON.stringify(fuzz.argv),
        ).toBe(outcomes[index]!.code);
      }
      expect(await redis.keys()).toEqual([]);
    },
  );
});
