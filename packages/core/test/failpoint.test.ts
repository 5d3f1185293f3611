import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { failpoint } from '@stem/core';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseFailpoints, resetFailpointsForTests } from '../src/failpoint/failpoint';

// Failpoints act on the whole process (SIGKILL, SIGSTOP, exit), so every case runs the
// fixture in a child node process with STEM_FAILPOINTS set, and reads what it printed.
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/failpoint-fixture.ts', import.meta.url));
const children = new Set<ChildProcess>();

interface FixtureRun {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

function startFixture(hits: number, env: Record<string, string>): ChildProcess {
  const environment = { ...process.env, ...env };
  if (env.STEM_FAILPOINTS === undefined) delete environment.STEM_FAILPOINTS;
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, String(hits)], {
    cwd: repoRoot,
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  return child;
}

function finished(child: ChildProcess): Promise<FixtureRun> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => {
    child.once('close', (code, signal) => resolve({ stdout, stderr, code, signal }));
  });
}

function runFixture(hits: number, env: Record<string, string> = {}): Promise<FixtureRun> {
  return finished(startFixture(hits, env));
}

function lines(run: FixtureRun): string[] {
  return run.stdout.split('\n').filter((line) => line !== '');
}

// afterAll, not afterEach: the cases run concurrently and share this set.
afterAll(() => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
});

describe.concurrent('failpoint in a child process', () => {
  it('is inert when STEM_FAILPOINTS is unset', async ({ expect }) => {
    const run = await runFixture(3);
    expect(run.code).toBe(0);
    expect(lines(run).filter((line) => line.startsWith('after'))).toHaveLength(3);
    expect(run.stderr).not.toContain('failpoint');
  });

  it('kill dies by SIGKILL exactly at the point', async ({ expect }) => {
    const run = await runFixture(3, { STEM_FAILPOINTS: 'test.point=kill' });
    expect(run.signal).toBe('SIGKILL');
    expect(lines(run)).toEqual(['before 1']);
    expect(run.stderr).toContain('stem failpoint test.point fired: kill (hit 1)');
  });

  it('kill@2 lets the first hit pass and dies on the second', async ({ expect }) => {
    const run = await runFixture(3, { STEM_FAILPOINTS: 'x.y=delay(1);test.point=kill@2' });
    expect(run.signal).toBe('SIGKILL');
    expect(lines(run).map((line) => line.split(' ').slice(0, 2).join(' '))).toEqual([
      'before 1',
      'after 1',
      'before 2',
    ]);
  });

  it('exit(code) exits with that code at the point', async ({ expect }) => {
    const run = await runFixture(2, { STEM_FAILPOINTS: 'test.point=exit(7)' });
    expect(run.code).toBe(7);
    expect(lines(run)).toEqual(['before 1']);
  });

  it('stop SIGSTOPs the process until someone sends SIGCONT', async ({ expect }) => {
    const child = startFixture(1, { STEM_FAILPOINTS: 'test.point=stop' });
    const run = finished(child);
    await new Promise<void>((resolve) => {
      child.stderr?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('fired: stop')) resolve();
      });
    });
    await expect.poll(() => processState(child.pid ?? 0), { timeout: 5_000 }).toBe('T');
    let printedWhileStopped = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      printedWhileStopped += chunk.toString();
    });
    await sleepMs(200);
    expect(printedWhileStopped).not.toContain('after');
    child.kill('SIGCONT');
    const result = await run;
    expect(result.code).toBe(0);
    expect(lines(result)[1]).toMatch(/^after 1 /);
  });

  it('stop(ms) resumes on its own after about that long', async ({ expect }) => {
    const run = await runFixture(1, { STEM_FAILPOINTS: 'test.point=stop(300)' });
    expect(run.code).toBe(0);
    const elapsedMs = Number(/^after 1 (\d+)ms$/.exec(lines(run)[1] ?? '')?.[1]);
    expect(elapsedMs).toBeGreaterThanOrEqual(295);
  });
});

// The remaining actions do not end the process, so they run here, re-reading the env.
describe('failpoint in this process', () => {
  const saved = { spec: process.env.STEM_FAILPOINTS, seed: process.env.STEM_FAILPOINTS_SEED };
  const configure = (spec: string | undefined, seed?: string) => {
    setEnv('STEM_FAILPOINTS', spec);
    setEnv('STEM_FAILPOINTS_SEED', seed);
    resetFailpointsForTests();
  };
  let stderrLines: string[] = [];
  beforeEach(() => {
    stderrLines = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderrLines.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    configure(saved.spec, saved.seed);
  });

  it('throw raises an error with code FAILPOINT at the call site, on the chosen hit', async () => {
    configure('test.point=throw@2');
    expect(failpoint('test.point')).toBeUndefined();
    const error = captureError(() => failpoint('test.point'));
    expect(error).toMatchObject({
      code: 'FAILPOINT',
      message: 'failpoint "test.point" fired (hit 2)',
    });
    expect(failpoint('test.point')).toBeUndefined();
    expect(stderrLines).toEqual(['stem failpoint test.point fired: throw (hit 2)\n']);
  });

  it('delay(ms) returns a promise that holds the caller for that long', async () => {
    configure('test.point=delay(120)');
    const startedAt = Date.now();
    const pending = failpoint('test.point');
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(115);
  });

  it('%P fires on a seeded share of hits, the same pattern for the same seed', () => {
    const pattern = () => {
      configure('test.point=throw%30', '42');
      let marks = '';
      for (let hit = 0; hit < 200; hit += 1) {
        marks += captureError(() => failpoint('test.point')) === undefined ? '.' : 'x';
      }
      return marks;
    };
    const first = pattern();
    const fired = first.split('x').length - 1;
    expect(fired).toBeGreaterThan(35);
    expect(fired).toBeLessThan(85);
    expect(pattern()).toBe(first);
  });

  it('an invalid spec fails the first and every later call, naming the bad entry', () => {
    configure('a.b=kill;test.point=explode');
    const message =
      'invalid STEM_FAILPOINTS entry "test.point=explode": unknown action "explode" (expected kill, exit(code), throw, delay(ms), stop or stop(ms))';
    for (const name of ['unrelated.point', 'test.point']) {
      expect(captureError(() => failpoint(name))).toMatchObject({
        code: 'FAILPOINT_SPEC_INVALID',
        message,
      });
    }
  });

  it.each([
    ['test.point=delay(x)', 'delay(ms) needs an integer ≥ 0, got "x"'],
    ['test.point=kill@0', '@N needs an integer ≥ 1'],
    ['test.point=kill%0', '%P must be a percentage in (0, 100]'],
    ['test.point=kill(3)', 'kill takes no argument'],
    ['Test Point=kill', 'is not a failpoint name'],
    ['test.point', 'expected name=action'],
    ['test.point=kill;test.point=throw', '"test.point" is named twice'],
  ])('parseFailpoints rejects %s', (spec, problem) => {
    expect(() => parseFailpoints(spec)).toThrow(problem);
  });

  it('parseFailpoints reads every action and modifier', () => {
    expect(
      parseFailpoints(
        ' a=kill ; b=exit(3)@2 ; c=throw%12.5 ; d=delay(200) ; e=stop ; f=stop(50) ;',
      ),
    ).toEqual([
      { name: 'a', action: { kind: 'kill' } },
      { name: 'b', action: { kind: 'exit', code: 3 }, onlyOnHit: 2 },
      { name: 'c', action: { kind: 'throw' }, percent: 12.5 },
      { name: 'd', action: { kind: 'delay', delayMs: 200 } },
      { name: 'e', action: { kind: 'stop' } },
      { name: 'f', action: { kind: 'stop', resumeAfterMs: 50 } },
    ]);
  });
});

function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function setEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

function captureError(action: () => unknown): unknown {
  try {
    action();
    return undefined;
  } catch (error) {
    return error;
  }
}

function processState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat[stat.lastIndexOf(')') + 2] ?? '';
}
