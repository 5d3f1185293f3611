/**
 * The producer client: enqueues typed tasks through middleware into a broker and
 * hands back TaskResult handles. It runs on whatever thread calls it and keeps no
 * state beyond its adapters.
 */
import { connectAdapters } from '../adapters/connect-adapters';
import type { Broker } from '../broker/broker';
import { createEnvelope } from '../envelope/create-envelope';
import type { Envelope, JsonObject, JsonValue } from '../envelope/envelope';
import { CapabilityNotSupportedError } from '../errors/errors';
import type { EventBus } from '../events/event-bus';
import { type Middleware, runPublishMiddleware } from '../middleware/middleware';
import type { ResultBackend } from '../result/result-backend';
import type { RevocationStore } from '../revocation/revocation-store';
import type { TaskDefinition } from '../task/define-task';
import { TaskRegistry } from '../task/task-registry';
import { validateTaskArguments } from '../task/validate-arguments';
import { TaskResult } from './task-result';

export interface StemOptions {
  broker: Broker;
  resultBackend?: ResultBackend;
  /** Lets `enqueueByName` validate arguments and refuse unknown names. */
  tasks?: Iterable<TaskDefinition>;
  middleware?: readonly Middleware[];
  revocationStore?: RevocationStore;
  eventBus?: EventBus;
  /** Queue for tasks that name none. @default 'default' */
  defaultQueue?: string;
}

export interface ConnectStemOptions extends Omit<StemOptions, 'broker' | 'resultBackend'> {
  /** e.g. `memory://`, `redis://localhost:6379`. */
  brokerUrl: string;
  /** @default brokerUrl */
  resultBackendUrl?: string;
}

export interface EnqueueOptions {
  /** Choose the task id (for idempotent producers). @default a random UUID */
  taskId?: string;
  queue?: string;
  /** 0 (lowest) to 9 (highest). */
  priority?: number;
  /** Deliver no sooner than this many ms from now (countdown). */
  delayMs?: number;
  /** Deliver no sooner than this instant (ETA): a Date or epoch ms. */
  eta?: Date | number;
  /** Skip the task if it has not started within this many ms. */
  expiresInMs?: number;
  idempotencyKey?: string;
  headers?: Record<string, string>;
  maxRetries?: number;
  softTimeLimitMs?: number;
  hardTimeLimitMs?: number;
  parentId?: string;
  rootId?: string;
  groupId?: string;
  groupIndex?: number;
  meta?: JsonObject;
}

export interface RevokeOptions {
  reason?: string;
  /** Abort the task if it is already running. @default false */
  terminate?: boolean;
  /** How long workers remember the revocation. @default 24 h */
  keepForMs?: number;
}

export class Stem {
  readonly broker: Broker;
  readonly resultBackend: ResultBackend | undefined;
  readonly registry: TaskRegistry;
  readonly #middleware: readonly Middleware[];
  readonly #revocationStore: RevocationStore | undefined;
  readonly #eventBus: EventBus | undefined;
  readonly #defaultQueue: string;
  readonly #owned: Array<{ close(): Promise<void> }> = [];

  constructor(options: StemOptions) {
    this.broker = options.broker;
    this.resultBackend = options.resultBackend;
    this.registry = new TaskRegistry(options.tasks);
    this.#middleware = options.middleware ?? [];
    this.#revocationStore = options.revocationStore;
    this.#eventBus = options.eventBus;
    this.#defaultQueue = options.defaultQueue ?? 'default';
  }

  /** Builds the adapters from URLs; the client owns and closes them. */
  static async connect(options: ConnectStemOptions): Promise<Stem> {
    const { brokerUrl, resultBackendUrl = brokerUrl, ...rest } = options;
    const fromBroker = await connectAdapters(brokerUrl, {
      roles: ['broker', 'eventBus', 'revocationStore'],
    });
    const { resultBackend } = await connectAdapters(resultBackendUrl, { roles: ['resultBackend'] });
    const stem = new Stem({
      ...rest,
      broker: fromBroker.broker,
      resultBackend,
      eventBus: rest.eventBus ?? fromBroker.eventBus,
      revocationStore: rest.revocationStore ?? fromBroker.revocationStore,
    });
    stem.#owned.push(
      fromBroker.broker,
      resultBackend,
      fromBroker.eventBus,
      fromBroker.revocationStore,
    );
    return stem;
  }

  /** Validates the arguments, publishes the task and returns a typed handle on its result. */
  async enqueue<TArgs, TResult>(
    task: TaskDefinition<TArgs, TResult>,
    args: TArgs,
    options: EnqueueOptions = {},
  ): Promise<TaskResult<TResult>> {
    // Validate to refuse bad input before publishing, but publish the arguments as given:
    // the worker validates (and transforms) them again, and a transform is not idempotent.
    await validateTaskArguments(task as TaskDefinition, args);
    const envelope = this.#buildEnvelope(task as TaskDefinition, args, options);
    await runPublishMiddleware(this.#middleware, envelope, (final) => this.broker.publish(final));
    return new TaskResult<TResult>(envelope.id, this.resultBackend, task.name);
  }

  /**
   * Enqueues by name with untyped arguments (CLI, other services). When the client knows
   * its tasks, an unknown name is refused with UNKNOWN_TASK and arguments are validated.
   */
  async enqueueByName(
    taskName: string,
    args: unknown,
    options: EnqueueOptions = {},
  ): Promise<TaskResult<unknown>> {
    if (this.registry.size > 0) return this.enqueue(this.registry.resolve(taskName), args, options);
    const envelope = createEnvelope({
      task: taskName,
      args: args as JsonValue,
      ...this.#envelopeFields(options),
    });
    await runPublishMiddleware(this.#middleware, envelope, (final) => this.broker.publish(final));
    return new TaskResult(envelope.id, this.resultBackend, taskName);
  }

  /** A handle on a task enqueued earlier (possibly by another process). */
  result<TResult = unknown>(taskId: string): TaskResult<TResult> {
    return new TaskResult<TResult>(taskId, this.resultBackend);
  }

  /**
   * Revokes a task: workers skip it if it has not started, and abort it if it has and
   * `terminate` is set. Persisted, so it survives worker restarts.
   */
  async revoke(taskId: string, options: RevokeOptions = {}): Promise<void> {
    if (this.#revocationStore === undefined) {
      throw new CapabilityNotSupportedError(
        'this Stem client',
        'revoke',
        'no revocation store was configured',
      );
    }
    const revokedAt = Date.now();
    const reason = options.reason ?? 'revoked by request';
    const terminate = options.terminate ?? false;
    await this.#revocationStore.revoke({
      taskId,
      reason,
      terminate,
      revokedAt,
      expiresAt: revokedAt + (options.keepForMs ?? 86_400_000),
    });
    await this.#eventBus?.publish({
      type: 'task.revoke-requested',
      taskId,
      reason,
      terminate,
      at: revokedAt,
    });
  }

  /** Closes the adapters this client created (never ones it was given). */
  async close(): Promise<void> {
    await Promise.all(this.#owned.splice(0).map((adapter) => adapter.close()));
  }

  #buildEnvelope(task: TaskDefinition, args: unknown, options: EnqueueOptions): Envelope {
    const defaults = task.options;
    // Per-call options win over the task's own options, which win over the client's.
    const merged: EnqueueOptions = {
      ...options,
      ...optional('queue', options.queue ?? defaults.queue),
      ...optional('priority', options.priority ?? defaults.priority),
      ...optional('maxRetries', options.maxRetries ?? defaults.retry?.maxRetries),
      ...optional('softTimeLimitMs', options.softTimeLimitMs ?? defaults.softTimeLimitMs),
      ...optional('hardTimeLimitMs', options.hardTimeLimitMs ?? defaults.hardTimeLimitMs),
      ...optional('expiresInMs', options.expiresInMs ?? defaults.expiresInMs),
      ...optional('idempotencyKey', options.idempotencyKey ?? defaults.idempotencyKey?.(args)),
    };
    return createEnvelope({
      task: task.name,
      args: args as JsonValue,
      ...this.#envelopeFields(merged),
    });
  }

  /** Envelope fields that come from enqueue options alone. */
  #envelopeFields(options: EnqueueOptions) {
    const now = Date.now();
    const notBeforeAt =
      options.eta !== undefined
        ? typeof options.eta === 'number'
          ? options.eta
          : options.eta.getTime()
        : options.delayMs !== undefined
          ? now + options.delayMs
          : undefined;
    return {
      queue: options.queue ?? this.#defaultQueue,
      ...optional('id', options.taskId),
      ...optional('priority', options.priority),
      ...optional('maxRetries', options.maxRetries),
      ...optional('notBeforeAt', notBeforeAt),
      ...optional(
        'expiresAt',
        options.expiresInMs === undefined ? undefined : now + options.expiresInMs,
      ),
      ...optional('idempotencyKey', options.idempotencyKey),
      ...optional('softTimeLimitMs', options.softTimeLimitMs),
      ...optional('hardTimeLimitMs', options.hardTimeLimitMs),
      ...optional('parentId', options.parentId),
      ...optional('rootId', options.rootId),
      ...optional('groupId', options.groupId),
      ...optional('groupIndex', options.groupIndex),
      ...optional('meta', options.meta),
      headers: { ...options.headers },
    };
  }
}

/** `{ [key]: value }` when value is defined, `{}` otherwise (envelopes carry no undefined). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
