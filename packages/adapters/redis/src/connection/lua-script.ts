/**
 * Runs a Lua script by its SHA-1 and loads it on the first NOSCRIPT (a fresh server,
 * a failover, SCRIPT FLUSH, or another cluster node). Runs on the caller's thread;
 * every key the script touches must be passed in `keys` so Cluster and ACLs see it.
 */
import { createHash } from 'node:crypto';
import { type RedisClient, sendWithinTick } from './redis-connection';

export class LuaScript {
  /** Operation name, for error messages. */
  readonly name: string;
  readonly source: string;
  readonly sha: string;

  constructor(name: string, source: string) {
    this.name = name;
    this.source = source;
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** Runs the script with `keys` (KEYS[]) and `args` (ARGV[]), resolving to its reply. */
  async run(
    client: RedisClient,
    keys: readonly string[],
    args: ReadonlyArray<string | number>,
  ): Promise<unknown> {
    sendWithinTick(client);
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      // EVAL caches the script on that node, so the next EVALSHA succeeds.
      return client.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
