// Settings resolve in order: flag, then STEM_* environment variable, then the config file
// (--config, STEM_CONFIG, or ./stem.config.json). Which memory:// broker a task lands in
// shows which setting won. Runs in-process through run(), the binary's own code path.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_CODES } from '@stem/cli';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess } from './support/cli-runner';

const directory = mkdtempSync(join(tmpdir(), 'zz-cli-config-'));
const tag = randomUUID().slice(0, 8);
const brokers = {
  flag: `memory://flag-${tag}`,
  env: `memory://env-${tag}`,
  file: `memory://file-${tag}`,
};
writeFileSync(
  join(directory, 'stem.config.json'),
  JSON.stringify({ brokerUrl: brokers.file, queues: ['from-file'] }),
);
writeFileSync(
  join(directory, 'other.json'),
  JSON.stringify({ brokerUrl: brokers.file, connectTimeoutMs: 2000 }),
);

afterAll(() => rmSync(directory, { recursive: true, force: true }));

async function readyIn(broker: string): Promise<number> {
  const stats = await runInProcess(
    ['observe', 'queues', '--queues', 'default', '--json', '--broker-url', broker],
    { cwd: directory },
  );
  return (JSON.parse(stats.stdout) as Array<{ ready: number }>)[0]!.ready;
}

describe('settings precedence', () => {
  it('takes the flag over the environment over the config file', async () => {
    const before = {
      flag: await readyIn(brokers.flag),
      env: await readyIn(brokers.env),
      file: await readyIn(brokers.file),
    };
    const env = { STEM_BROKER_URL: brokers.env };
    expect(
      (await runInProcess(['enqueue', 't', '--broker-url', brokers.flag], { cwd: directory, env }))
        .code,
    ).toBe(0);
    expect(await readyIn(brokers.flag)).toBe(before.flag + 1);
    expect((await runInProcess(['enqueue', 't'], { cwd: directory, env })).code).toBe(0);
    expect(await readyIn(brokers.env)).toBe(before.env + 1);
    expect((await runInProcess(['enqueue', 't'], { cwd: directory })).code).toBe(0);
    expect(await readyIn(brokers.file)).toBe(before.file + 1);
  });

  it('reads lists from the config file and --config or STEM_CONFIG files', async () => {
    const fromFile = await runInProcess(['observe', 'queues', '--json'], { cwd: directory });
    expect(
      (JSON.parse(fromFile.stdout) as Array<{ queue: string }>).map((row) => row.queue),
    ).toEqual(['from-file']);
    const fromEnvList = await runInProcess(['observe', 'queues', '--json'], {
      cwd: directory,
      env: { STEM_QUEUES: 'a,b' },
    });
    expect(
      (JSON.parse(fromEnvList.stdout) as Array<{ queue: string }>).map((row) => row.queue),
    ).toEqual(['a', 'b']);
    const viaEnv = await runInProcess(['ping', '--json'], {
      cwd: tmpdir(),
      env: { STEM_CONFIG: join(directory, 'other.json') },
    });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
  });

  it('names the source of a bad value', async () => {
    const fromEnv = await runInProcess(['observe', 'queues'], {
      cwd: directory,
      env: { STEM_CONNECT_TIMEOUT_MS: 'soon' },
    });
    expect(fromEnv.code).toBe(EXIT_CODES.usage);
    expect(fromEnv.stderr).toBe(
      'stem: error: STEM_CONNECT_TIMEOUT_MS must be a whole number from 1 to 600000, not "soon"\n',
    );
    const badType = join(directory, 'bad-type.json');
    writeFileSync(badType, JSON.stringify({ concurrency: [4] }));
    const fromFile = await runInProcess(['observe', 'queues', '--config', badType], {
      cwd: directory,
    });
    expect(fromFile.code).toBe(EXIT_CODES.configInvalid);
    expect(fromFile.stderr).toMatch(/"concurrency" must be a string or a number, not \[4\]/);
  });
});
