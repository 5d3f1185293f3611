/**
 * A ResultBackend whose records live in a MemoryAdapterHost. A `waitFor` is one request
 * the host answers when the record turns terminal (or with RESULT_TIMEOUT); an abort
 * is handled here, at once, and the host is told to drop the wait. Runs on the
 * client's main thread.
 */
import {
  ClosedError,
  type GroupInit,
  type GroupMemberResult,
  type GroupProgress,
  type GroupState,
  type ResultBackend,
  type ResultBackendCapabilities,
  type ResultMeta,
  type ResultRecord,
  type SetResultOptions,
  type WaitOptions,
} from '@stem/core';
import { HostTarget } from './host-target';
import { MemoryHostConnection, type MemoryHostConnectOptions } from './memory-host-connection';

export class RemoteResultBackend implements ResultBackend {
  /** The host's InMemoryResultBackend capabilities. */
  readonly capabilities: ResultBackendCapabilities;
  readonly #host: HostTarget;
  /** Rejects this instance's pending waits on close. */
  readonly #pendingWaits = new Set<(error: Error) => void>();

  /** An instance on a connection someone else owns (and closes). */
  constructor(connection: MemoryHostConnection) {
    this.#host = new HostTarget(connection, 'result', 'RemoteResultBackend');
    this.capabilities = connection.resultBackendCapabilities;
  }

  /** An instance on its own new connection, which its `close` closes. */
  static async connect(
    socketPath: string,
    options: MemoryHostConnectOptions = {},
  ): Promise<RemoteResultBackend> {
    const backend = new RemoteResultBackend(await MemoryHostConnection.open(socketPath, options));
    backend.#host.ownConnection();
    return backend;
  }

  async set(record: ResultRecord, options?: SetResultOptions): Promise<void> {
    this.#host.assertOpen();
    await this.#host.call('set', [record, options]);
  }

  async updateMeta(taskId: string, meta: Partial<ResultMeta>): Promise<void> {
    this.#host.assertOpen();
    await this.#host.call('updateMeta', [taskId, meta]);
  }

  async get(taskId: string): Promise<ResultRecord | undefined> {
    this.#host.assertOpen();
    return ((await this.#host.call('get', [taskId])) ?? undefined) as ResultRecord | undefined;
  }

  /**
   * Resolves once the host sees the record terminal. Rejects with RESULT_TIMEOUT after
   * `timeoutMs` (@default no limit; timed by the host), with the signal's reason on
   * abort, with CLOSED if this instance closes first, and with CONNECTION_FAILED if
   * the host goes away.
   */
  async waitFor(taskId: string, options: WaitOptions = {}): Promise<ResultRecord> {
    this.#host.assertOpen();
    const { signal, timeoutMs } = options;
    signal?.throwIfAborted();
    const sent = this.#host.send('waitFor', [taskId, timeoutMs]);
    return new Promise<ResultRecord>((resolve, reject) => {
      const settle = (outcome: () => void): void => {
        this.#pendingWaits.delete(onClose);
        signal?.removeEventListener('abort', onAbort);
        outcome();
      };
      const giveUp = (error: unknown): void => {
        this.#host.connection.abandon(sent.id);
        // Best effort: if the host is gone, so is the wait.
        this.#host.call('cancelWait', [sent.id]).catch(() => undefined);
        settle(() => reject(error));
      };
      const onClose = (error: Error): void => giveUp(error);
      const onAbort = (): void => giveUp(signal?.reason);
      this.#pendingWaits.add(onClose);
      signal?.addEventListener('abort', onAbort, { once: true });
      sent.result.then(
        (record) => settle(() => resolve(record as ResultRecord)),
        (error: unknown) => settle(() => reject(error)),
      );
    });
  }

  async forget(taskId: string): Promise<void> {
    this.#host.assertOpen();
    await this.#host.call('forget', [taskId]);
  }

  async initGroup(init: GroupInit): Promise<void> {
    this.#host.assertOpen();
    await this.#host.call('initGroup', [init]);
  }

  async addGroupResult(member: GroupMemberResult): Promise<GroupProgress> {
    this.#host.assertOpen();
    return (await this.#host.call('addGroupResult', [member])) as GroupProgress;
  }

  async claimGroupCallback(groupId: string, claimant: string): Promise<boolean> {
    this.#host.assertOpen();
    return (await this.#host.call('claimGroupCallback', [groupId, claimant])) as boolean;
  }

  async getGroup(groupId: string): Promise<GroupState | undefined> {
    this.#host.assertOpen();
    const group = (await this.#host.call('getGroup', [groupId])) as GroupState | null | undefined;
    if (group === undefined || group === null) return undefined;
    // JSON writes missing members as null; the contract says undefined.
    const { callbackClaimant, ...rest } = group;
    return {
      ...rest,
      results: group.results.map((result) => result ?? undefined),
      ...(callbackClaimant === undefined || callbackClaimant === null ? {} : { callbackClaimant }),
    };
  }

  async forgetGroup(groupId: string): Promise<void> {
    this.#host.assertOpen();
    await this.#host.call('forgetGroup', [groupId]);
  }

  /**
   * Rejects this instance's pending waits with CLOSED and detaches it on the host (the
   * shared records stay). Closes the connection if `connect` made it. Idempotent.
   */
  close(): Promise<void> {
    return this.#host.close(() => {
      const error = new ClosedError('RemoteResultBackend');
      for (const reject of [...this.#pendingWaits]) reject(error);
    });
  }
}
