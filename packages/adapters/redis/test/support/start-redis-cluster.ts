/**
 * A throw-away Redis Cluster for one test file: three masters (no replicas) on spare
 * loopback ports, one data directory, slots assigned by `redis-cli --cluster create`.
 * `start` resolves once every node reports `cluster_state:ok`; `stop` kills the nodes
 * and deletes the directory. Runs in the test process.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually, freePort } from '@stem/testing';
import { Redis } from 'ioredis';
import { LocalRedisServer } from './start-redis-server';

const run = promisify(execFile);

export class LocalRedisCluster {
  readonly dir: string;
  readonly nodes: readonly LocalRedisServer[];

  private constructor(dir: string, nodes: readonly LocalRedisServer[]) {
    this.dir = dir;
    this.nodes = nodes;
  }

  /** `redis://first?cluster=second,third`: the URL form the adapters parse. */
  get url(): string {
    const [first, ...rest] = this.nodes.map((node) => `127.0.0.1:${node.port}`);
    return `redis://${first}?cluster=${rest.join(',')}`;
  }

  /** Starts `masters` (@default 3) nodes, creates the cluster and waits until it is ok. */
  static async start(masters = 3): Promise<LocalRedisCluster> {
    const dir = await mkdtemp(join(tmpdir(), 'stem-redis-cluster-'));
    const nodes: LocalRedisServer[] = [];
    const cluster = new LocalRedisCluster(dir, nodes);
    try {
      for (let index = 0; index < masters; index += 1) nodes.push(await startNode(dir));
      await run('redis-cli', [
        '--cluster',
        'create',
        ...nodes.map((node) => `127.0.0.1:${node.port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ]);
      await Promise.all(nodes.map((node) => waitClusterOk(node.port)));
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.nodes.map((node) => node.stop()));
    await rm(this.dir, { recursive: true, force: true });
  }
}

async function startNode(dir: string): Promise<LocalRedisServer> {
  // The port is chosen first so the node's config file (relative to --dir) is named after it.
  const port = await freePort();
  return LocalRedisServer.start({
    port,
    dir,
    args: [
      '--cluster-enabled',
      'yes',
      '--cluster-node-timeout',
      '5000',
      '--cluster-config-file',
      `nodes-${port}.conf`,
    ],
  });
}

/** Polls CLUSTER INFO on one node until every slot is served (`cluster_state:ok`). */
async function waitClusterOk(port: number): Promise<void> {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
  try {
    await client.connect();
    await eventually(
      `cluster_state:ok on 127.0.0.1:${port}`,
      async () => ((await client.cluster('INFO')) as string).includes('cluster_state:ok'),
      15_000,
      100,
    );
  } finally {
    client.disconnect();
  }
}
