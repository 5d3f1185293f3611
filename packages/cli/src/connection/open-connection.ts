/**
 * Opens the adapters a command needs, from the URLs in the settings. Every URL is
 * checked before anything connects; each server is then probed with a cheap read, and
 * one that does not answer within the connect timeout is a CONNECTION_FAILED error
 * (drivers that reconnect forever would otherwise hang the command).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type AdapterRole,
  type AdapterSet,
  connectAdapters,
  parseConnectionUrl,
  redactUrl,
  UrlInvalidError,
} from '@stem/core';
import { CliError } from '../cli-error';
import { connectionsOpened } from '../driver-chatter';

export interface ConnectionUrls {
  brokerUrl: string;
  resultBackendUrl: string;
  scheduleStoreUrl: string;
}

export interface OpenConnectionOptions {
  /** @default 5000 */
  connectTimeoutMs: number;
  /** Adapter packages not resolvable from the CLI are looked up from here. */
  cwd: string;
}

/** Adapters opened for one command; `close()` closes every one of them. */
export class Connection<TRole extends AdapterRole> {
  readonly adapters: Pick<AdapterSet, TRole>;
  readonly #closers: Array<() => Promise<void>>;

  constructor(adapters: Pick<AdapterSet, TRole>, closers: Array<() => Promise<void>>) {
    this.adapters = adapters;
    this.#closers = closers;
  }

  /** Closes everything, giving up after `limitMs` (a dead server can stall a polite close). */
  async close(limitMs = 2_000): Promise<void> {
    const closing = Promise.allSettled(this.#closers.splice(0).map((close) => close()));
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise((resolve) => {
      timer = setTimeout(resolve, limitMs);
    });
    await Promise.race([closing, limit]);
    clearTimeout(timer);
  }
}

const URL_OF_ROLE: Readonly<Record<AdapterRole, keyof ConnectionUrls>> = {
  broker: 'brokerUrl',
  eventBus: 'brokerUrl',
  revocationStore: 'brokerUrl',
  rateLimiter: 'brokerUrl',
  lockStore: 'brokerUrl',
  resultBackend: 'resultBackendUrl',
  scheduleStore: 'scheduleStoreUrl',
};

const NAMESPACE = /^[A-Za-z0-9_.:-]{1,100}$/;

/** Checks a URL (syntax, scheme, namespace) without connecting. */
export function checkUrl(text: string): void {
  const { url } = parseConnectionUrl(text);
  const namespace = url.searchParams.get('namespace');
  if (namespace !== null && !NAMESPACE.test(namespace)) {
    throw new UrlInvalidError(
      text,
      `namespace ${JSON.stringify(namespace)} must be 1-100 of [A-Za-z0-9_.:-]`,
    );
  }
}

export async function openConnection<TRole extends AdapterRole>(
  urls: ConnectionUrls,
  roles: readonly TRole[],
  options: OpenConnectionOptions,
): Promise<Connection<TRole>> {
  const byUrl = new Map<string, TRole[]>();
  for (const role of roles) {
    const url = urls[URL_OF_ROLE[role]];
    checkUrl(url);
    byUrl.set(url, [...(byUrl.get(url) ?? []), role]);
  }
  const adapters: Partial<AdapterSet> = {};
  const closers: Array<() => Promise<void>> = [];
  const connection = new Connection(adapters as Pick<AdapterSet, TRole>, closers);
  const importModule = (name: string) => importAdapter(name, options.cwd);
  try {
    for (const [url, urlRoles] of byUrl) {
      const opened = await withTimeout(
        (async () => {
          const built = await connectAdapters(url, { roles: urlRoles, importModule });
          for (const role of urlRoles) {
            const adapter = built[role] as AdapterSet[TRole];
            (adapters as Record<string, unknown>)[role] = adapter;
            closers.push(() => adapter.close());
          }
          await probe(built as Partial<AdapterSet>);
        })(),
        options.connectTimeoutMs,
      );
      if (!opened) {
        throw new CliError(
          'CONNECTION_FAILED',
          `could not reach ${redactUrl(url)} within ${options.connectTimeoutMs} ms: is the server running and the URL right?`,
        );
      }
    }
  } catch (error) {
    await connection.close(1_000);
    throw error;
  }
  connectionsOpened();
  return connection;
}

/** One cheap read per adapter that talks to a server. */
async function probe(adapters: Partial<AdapterSet>): Promise<void> {
  await adapters.broker?.stats('default');
  await adapters.resultBackend?.get('stem-cli-probe');
  await adapters.scheduleStore?.list({ limit: 1 });
}

/** Resolves true if `work` settled in time (rethrowing its error), false on timeout. */
export async function withTimeout(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  // A late failure after the timeout must not become an unhandled rejection.
  work.catch(() => undefined);
  try {
    return await Promise.race([work.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Imports an adapter package: from the CLI's own dependencies first, then from the
 * project in the working directory (where users install `@stem/redis` next to their app).
 */
async function importAdapter(name: string, cwd: string): Promise<unknown> {
  try {
    return await import(name);
  } catch (error) {
    let resolved: string;
    try {
      resolved = createRequire(join(cwd, 'stem.config.json')).resolve(name);
    } catch {
      throw error;
    }
    return import(pathToFileURL(resolved).href);
  }
}
