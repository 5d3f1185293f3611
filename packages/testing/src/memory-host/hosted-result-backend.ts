/**
 * The host side of one RemoteResultBackend: an InMemoryResultBackend on the namespace's
 * shared state. A `waitFor` is answered when the record turns terminal (the response
 * simply arrives later); the client cancels one it gave up on with `cancelWait`, naming
 * the request id. Runs in the host process.
 */
import type {
  GroupInit,
  GroupMemberResult,
  InMemoryResultBackend,
  ResultMeta,
  ResultRecord,
  SetResultOptions,
} from '@stem/core';
import { type HostedAdapter, type HostSessionLinks, unknownOperation } from './hosted-adapter';

export class HostedResultBackend implements HostedAdapter {
  readonly #backend: InMemoryResultBackend;
  readonly #session: HostSessionLinks;

  constructor(backend: InMemoryResultBackend, session: HostSessionLinks) {
    this.#backend = backend;
    this.#session = session;
  }

  async call(operation: string, args: readonly unknown[], requestId: number): Promise<unknown> {
    const backend = this.#backend;
    switch (operation) {
      case 'set':
        return backend.set(args[0] as ResultRecord, args[1] as SetResultOptions | undefined);
      case 'updateMeta':
        return backend.updateMeta(args[0] as string, args[1] as Partial<ResultMeta>);
      case 'get':
        return backend.get(args[0] as string);
      case 'waitFor':
        return this.#waitFor(args[0] as string, args[1] as number | undefined, requestId);
      case 'cancelWait':
        this.#session.waits.get(args[0] as number)?.abort();
        return undefined;
      case 'forget':
        return backend.forget(args[0] as string);
      case 'initGroup':
        return backend.initGroup(args[0] as GroupInit);
      case 'addGroupResult':
        return backend.addGroupResult(args[0] as GroupMemberResult);
      case 'claimGroupCallback':
        return backend.claimGroupCallback(args[0] as string, args[1] as string);
      case 'getGroup':
        return backend.getGroup(args[0] as string);
      case 'forgetGroup':
        return backend.forgetGroup(args[0] as string);
      default:
        throw unknownOperation('result', operation);
    }
  }

  /** Ends this instance's waits (their answers go nowhere) and detaches it. */
  async close(): Promise<void> {
    await this.#backend.close();
  }

  async #waitFor(
    taskId: string,
    timeoutMs: number | undefined,
    requestId: number,
  ): Promise<ResultRecord> {
    const controller = new AbortController();
    this.#session.waits.set(requestId, controller);
    try {
      return await this.#backend.waitFor(taskId, {
        ...(typeof timeoutMs === 'number' ? { timeoutMs } : {}),
        signal: controller.signal,
      });
    } finally {
      this.#session.waits.delete(requestId);
    }
  }
}
