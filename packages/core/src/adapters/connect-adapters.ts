/**
 * Connection URLs select adapters. One scheme table maps each scheme to the package
 * that implements it; the package is imported only when a URL asks for it, so users
 * install just the adapters they use, and a missing one produces an error that says
 * what to install. `memory://name` is built in: every URL with the same name in one
 * process shares one set of in-memory adapters.
 */
import type { Broker } from '../broker/broker';
import { InMemoryBroker, InMemoryBrokerState } from '../broker/in-memory-broker';
import {
  AdapterNotInstalledError,
  CapabilityNotSupportedError,
  UrlInvalidError,
} from '../errors/errors';
import type { EventBus } from '../events/event-bus';
import { InMemoryEventBus, InMemoryEventBusState } from '../events/in-memory-event-bus';
import { InMemoryLockStore, InMemoryLockStoreState } from '../lock/in-memory-lock-store';
import type { LockStore } from '../lock/lock-store';
import {
  InMemoryRateLimiter,
  InMemoryRateLimiterState,
} from '../rate-limit/in-memory-rate-limiter';
import type { RateLimiter } from '../rate-limit/rate-limiter';
import {
  InMemoryResultBackend,
  InMemoryResultBackendState,
} from '../result/in-memory-result-backend';
import type { ResultBackend } from '../result/result-backend';
import {
  InMemoryRevocationStore,
  InMemoryRevocationStoreState,
} from '../revocation/in-memory-revocation-store';
import type { RevocationStore } from '../revocation/revocation-store';
import {
  InMemoryScheduleStore,
  InMemoryScheduleStoreState,
} from '../schedule/in-memory-schedule-store';
import type { ScheduleStore } from '../schedule/schedule-store';
import { closestMatch } from './closest-match';

/** Every adapter role a URL can provide. */
export interface AdapterSet {
  broker: Broker;
  resultBackend: ResultBackend;
  scheduleStore: ScheduleStore;
  rateLimiter: RateLimiter;
  lockStore: LockStore;
  eventBus: EventBus;
  revocationStore: RevocationStore;
}

export type AdapterRole = keyof AdapterSet;

/** What an adapter package exports for URL-based construction. */
export interface AdapterModule {
  createAdapters<TRole extends AdapterRole>(
    url: URL,
    roles: readonly TRole[],
  ): Promise<Pick<AdapterSet, TRole>>;
}

/** Scheme → the package that implements it. */
export const ADAPTER_SCHEMES: Readonly<Record<string, string>> = Object.freeze({
  memory: '@stem/core',
  redis: '@stem/redis',
  rediss: '@stem/redis',
  postgres: '@stem/postgres',
  postgresql: '@stem/postgres',
  amqp: '@stem/rabbitmq',
  amqps: '@stem/rabbitmq',
  sqs: '@stem/sqs',
});

export interface ParsedConnectionUrl {
  scheme: string;
  url: URL;
  packageName: string;
}

/** Checks a URL's syntax and scheme without importing anything. */
export function parseConnectionUrl(text: string): ParsedConnectionUrl {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new UrlInvalidError(String(text), 'it is empty');
  }
  const match = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (match === null) {
    throw new UrlInvalidError(text, `it has no scheme; expected e.g. ${exampleUrls()}`);
  }
  const scheme = match[1]!.toLowerCase();
  const packageName = ADAPTER_SCHEMES[scheme];
  if (packageName === undefined) {
    const suggestion = closestMatch(scheme, Object.keys(ADAPTER_SCHEMES));
    const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}://"?)`;
    throw new UrlInvalidError(
      text,
      `unknown scheme "${scheme}"${hint}; known schemes: ${Object.keys(ADAPTER_SCHEMES).join(', ')}`,
    );
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UrlInvalidError(text, 'it is not a well-formed URL');
  }
  return { scheme, url, packageName };
}

export interface ConnectOptions<TRole extends AdapterRole> {
  /** Roles to build. @default every role the scheme provides */
  roles?: readonly TRole[];
  /** Module loader, replaceable in tests. @default dynamic import() */
  importModule?: (packageName: string) => Promise<unknown>;
}

const ALL_ROLES: readonly AdapterRole[] = [
  'broker',
  'resultBackend',
  'scheduleStore',
  'rateLimiter',
  'lockStore',
  'eventBus',
  'revocationStore',
];

/** Builds the adapters a URL names; the caller owns (and closes) what it gets. */
export async function connectAdapters<TRole extends AdapterRole = AdapterRole>(
  text: string,
  options: ConnectOptions<TRole> = {},
): Promise<Pick<AdapterSet, TRole>> {
  const { scheme, url, packageName } = parseConnectionUrl(text);
  const roles = options.roles ?? (ALL_ROLES as readonly TRole[]);
  if (scheme === 'memory') return memoryAdapters(url, roles);
  const importModule = options.importModule ?? ((name: string) => import(name));
  let loaded: unknown;
  try {
    loaded = await importModule(packageName);
  } catch (error) {
    if (isModuleNotFound(error, packageName))
      throw new AdapterNotInstalledError(scheme, packageName);
    throw error;
  }
  const adapterModule = loaded as Partial<AdapterModule>;
  if (typeof adapterModule.createAdapters !== 'function') {
    throw new CapabilityNotSupportedError(
      packageName,
      'URL connections',
      'it exports no createAdapters()',
    );
  }
  return adapterModule.createAdapters(url, roles);
}

interface MemoryStates {
  broker: InMemoryBrokerState;
  resultBackend: InMemoryResultBackendState;
  scheduleStore: InMemoryScheduleStoreState;
  rateLimiter: InMemoryRateLimiterState;
  lockStore: InMemoryLockStoreState;
  eventBus: InMemoryEventBusState;
  revocationStore: InMemoryRevocationStoreState;
}

// Created on first use, not at import: importing core has no side effects.
let memoryStatesByName: Map<string, MemoryStates> | undefined;

function memoryStatesFor(name: string): MemoryStates {
  memoryStatesByName ??= new Map();
  let states = memoryStatesByName.get(name);
  if (states === undefined) {
    states = {
      broker: new InMemoryBrokerState(),
      resultBackend: new InMemoryResultBackendState(),
      scheduleStore: new InMemoryScheduleStoreState(),
      rateLimiter: new InMemoryRateLimiterState(),
      lockStore: new InMemoryLockStoreState(),
      eventBus: new InMemoryEventBusState(),
      revocationStore: new InMemoryRevocationStoreState(),
    };
    memoryStatesByName.set(name, states);
  }
  return states;
}

function memoryAdapters<TRole extends AdapterRole>(
  url: URL,
  roles: readonly TRole[],
): Pick<AdapterSet, TRole> {
  // memory://name and memory:///name both name the shared state; memory:// is "default".
  const name = decodeURIComponent(url.host || url.pathname.replace(/^\/+/, '')) || 'default';
  const states = memoryStatesFor(name);
  const build: { [K in AdapterRole]: () => AdapterSet[K] } = {
    broker: () => new InMemoryBroker({ state: states.broker }),
    resultBackend: () => new InMemoryResultBackend({ state: states.resultBackend }),
    scheduleStore: () => new InMemoryScheduleStore({ state: states.scheduleStore }),
    rateLimiter: () => new InMemoryRateLimiter({ state: states.rateLimiter }),
    lockStore: () => new InMemoryLockStore({ state: states.lockStore }),
    eventBus: () => new InMemoryEventBus({ state: states.eventBus }),
    revocationStore: () => new InMemoryRevocationStore({ state: states.revocationStore }),
  };
  const adapters: Partial<AdapterSet> = {};
  for (const role of roles) {
    (adapters as Record<AdapterRole, unknown>)[role] = build[role]();
  }
  return adapters as Pick<AdapterSet, TRole>;
}

function isModuleNotFound(error: unknown, packageName: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const notFound = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
  if (!notFound || typeof message !== 'string') return false;
  // Node quotes the missing specifier ("Cannot find package '@stem/redis' imported from…").
  // A bare substring test would also match a missing dependency *of* the adapter, whose
  // message names the adapter only in the importing file's path.
  return message.includes(`'${packageName}'`) || message.includes(`"${packageName}"`);
}

function exampleUrls(): string {
  return 'memory://, redis://localhost:6379, postgres://localhost/db, amqp://localhost, sqs://localhost:9324';
}
