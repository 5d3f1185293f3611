/**
 * Connection handling shared by every Redis adapter: URL parsing (redis://,
 * rediss:// with TLS verified by default, ACL user and password, database number,
 * `?cluster=host:port,host:port` for Redis Cluster), client creation with reconnect
 * backoff, and ownership (an adapter closes a client only if it created it).
 */

import { isIP, type Socket } from 'node:net';
import { UrlInvalidError } from '@stem/core';
import { Cluster, Redis, type RedisOptions } from 'ioredis';

export type RedisClient = Redis | Cluster;

export interface RedisConnectionOptions {
  /** `redis://[user:password@]host[:port][/db]`, `rediss://…` for TLS, `?cluster=h:p,h:p`. */
  url?: string;
  /** An existing client; the adapter will not close it. */
  client?: RedisClient;
  /** Key prefix separating Stem deployments (and tests) on one server. @default 'stem' */
  namespace?: string;
}

export interface ResolvedRedisConnection {
  client: RedisClient;
  /** Whether the adapter created the client (and so must close it). */
  owned: boolean;
  namespace: string;
}

const NAMESPACE_PATTERN = /^[A-Za-z0-9_.:-]{1,100}$/;

export function resolveRedisConnection(options: RedisConnectionOptions): ResolvedRedisConnection {
  const namespace = options.namespace ?? 'stem';
  if (!NAMESPACE_PATTERN.test(namespace) || namespace.includes('{') || namespace.includes('}')) {
    throw new RangeError(`namespace ${JSON.stringify(namespace)} must be 1-100 of [A-Za-z0-9_.:-]`);
  }
  if (options.client !== undefined) return { client: options.client, owned: false, namespace };
  if (options.url === undefined)
    throw new UrlInvalidError('', 'a Redis adapter needs `url` or `client`');
  return { client: createRedisClient(options.url), owned: true, namespace };
}

/** Parses a Redis URL into ioredis options, refusing what it cannot honour. */
export function parseRedisUrl(text: string): {
  options: RedisOptions;
  clusterNodes?: Array<{ host: string; port: number }>;
} {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UrlInvalidError(text, 'it is not a well-formed URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new UrlInvalidError(text, `expected redis:// or rediss://, got ${url.protocol}//`);
  }
  const port = url.port === '' ? 6379 : Number(url.port);
  const dbText = url.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0)
    throw new UrlInvalidError(text, `database "${dbText}" is not a number`);
  const host = url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const options: RedisOptions = {
    host,
    port,
    db,
    ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
    ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
    // TLS certificates are verified (Node's default); a rediss:// URL never falls back to plaintext.
    // The certificate must name the host; SNI carries host names only (RFC 6066), so an
    // IP address is checked against the certificate's IP entries without one.
    ...(url.protocol === 'rediss:' ? { tls: isIP(host) === 0 ? { servername: host } : {} } : {}),
    // Commands issued while reconnecting wait instead of failing; blocking reads are re-issued.
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    // A loading server is asked again each second: ioredis would otherwise wait for the
    // server's loading ETA (up to 10 s by default) even when the load ends sooner.
    maxLoadingRetryTime: 1_000,
    retryStrategy: (attempt: number) => Math.min(50 * 2 ** Math.min(attempt, 10), 2_000),
    // After a failover, a replica answering READONLY or a LOADING server is retried, not fatal.
    reconnectOnError: (error: Error) =>
      /READONLY|LOADING|UNBLOCKED/.test(error.message) ? 2 : false,
  };
  const cluster = url.searchParams.get('cluster');
  if (cluster === null) return { options };
  if (db !== 0) throw new UrlInvalidError(text, 'Redis Cluster has only database 0');
  const clusterNodes = cluster.split(',').map((node) => {
    const [host, nodePort] = node.split(':');
    const parsedPort = Number(nodePort ?? '6379');
    if (host === undefined || host === '' || !Number.isInteger(parsedPort)) {
      throw new UrlInvalidError(text, `cluster node "${node}" is not host:port`);
    }
    return { host, port: parsedPort };
  });
  return { options, clusterNodes: [{ host: options.host!, port }, ...clusterNodes] };
}

export function createRedisClient(url: string): RedisClient {
  const { options, clusterNodes } = parseRedisUrl(url);
  if (clusterNodes === undefined) return warnOncePerOutage(new Redis(options));
  const { host: _host, port: _port, db: _db, ...nodeOptions } = options;
  return warnOncePerOutage(
    new Cluster(clusterNodes, {
      redisOptions: nodeOptions,
      clusterRetryStrategy: (attempt: number) => Math.min(100 * 2 ** Math.min(attempt, 10), 2_000),
    }),
  );
}

/**
 * Reports a lost connection once (a process warning) until it is ready again. The
 * retry strategy reconnects and commands report their own failures; without a listener
 * ioredis would print every failed attempt as an "Unhandled error event". For clients
 * the adapters create (never for one the caller passes in).
 */
export function warnOncePerOutage<T extends RedisClient>(client: T): T {
  let warned = false;
  client.on('ready', () => {
    warned = false;
  });
  client.on('error', (error: Error) => {
    if (warned) return;
    warned = true;
    process.emitWarning(
      `Redis connection failed (reconnecting): ${error.message}`,
      'StemRedisConnectionWarning',
    );
  });
  return client;
}

/**
 * Keys of one queue share a hash slot through the `{…}` tag, so one script can touch
 * all of them on a cluster.
 */
export function queueKey(namespace: string, queue: string, suffix: string): string {
  return `${namespace}:{q:${queue}}:${suffix}`;
}

/** Clients whose socket is corked until the end of the current tick. */
const corkedClients = new WeakSet<Redis>();

/**
 * Holds `client`'s outgoing commands until the end of the current tick, then sends them
 * in one write. ioredis writes each command on its own, and on a busy worker the
 * system calls cost more than the commands: fifty tasks settling in one tick would
 * otherwise be a hundred writes. Commands still leave in the order they were issued,
 * before the event loop waits again. Cluster clients (one socket per node) are left as
 * they are, and so is a client that is not connected (ioredis queues commands then).
 */
export function sendWithinTick(client: RedisClient): void {
  if (!(client instanceof Redis) || client.status !== 'ready' || corkedClients.has(client)) return;
  const stream = (client as unknown as { stream?: Socket }).stream;
  if (stream === undefined) return;
  corkedClients.add(client);
  stream.cork();
  process.nextTick(() => {
    corkedClients.delete(client);
    stream.uncork();
  });
}
