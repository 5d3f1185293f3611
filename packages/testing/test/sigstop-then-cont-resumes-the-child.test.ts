import { readFileSync } from 'node:fs';
import { FaultDriver } from '@stem/testing';
import { afterEach, describe, expect, it } from 'vitest';

// Prints a counter every 10 ms, so output stalls exactly while the child is stopped.
const TICKER = ['-e', "let i = 0; setInterval(() => process.stdout.write(i++ + '\\n'), 10)"];
let driver: FaultDriver | undefined;

afterEach(async () => {
  await driver?.stopAll();
  driver = undefined;
});

function processState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat[stat.lastIndexOf(')') + 2] ?? '';
}

function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('FaultDriver.sigstop', () => {
  it('pauses the child for the given time, then resumes it', async () => {
    driver = new FaultDriver({ seed: 1 });
    const ticker = await driver.spawnManaged('ticker', process.execPath, TICKER);
    await ticker.waitForOutput('\n3\n');

    const pause = driver.sigstop('ticker', 600);
    await sleepMs(100);
    expect(processState(ticker.pid)).toBe('T');
    expect(ticker.paused).toBe(true);
    const frozen = ticker.output();
    await sleepMs(300);
    expect(ticker.output()).toBe(frozen);

    await pause;
    expect(ticker.paused).toBe(false);
    await expect
      .poll(() => ticker.output().length, { timeout: 5_000 })
      .toBeGreaterThan(frozen.length);
    expect(processState(ticker.pid)).not.toBe('T');
    expect(ticker.running).toBe(true);
  });

  it('stopAll kills a child that is still paused', async () => {
    driver = new FaultDriver({ seed: 1 });
    const ticker = await driver.spawnManaged('ticker', process.execPath, TICKER);
    const pause = driver.sigstop('ticker', 60_000);
    await driver.stopAll();
    await pause;
    expect(ticker.exit).toMatchObject({ signal: 'SIGKILL', expected: true });
  });
});
