/**
 * A RevocationStore in this process's memory, shared by instances given the same
 * state. Expired revocations are dropped when read, so nothing needs a timer.
 */
import { ClosedError } from '../errors/errors';
import type { Revocation, RevocationStore } from './revocation-store';

/** The revocations shared by every InMemoryRevocationStore built on it. */
export class InMemoryRevocationStoreState {
  readonly revocations = new Map<string, Revocation>();
}

export interface InMemoryRevocationStoreOptions {
  /** Share revocations with other instances. @default a fresh, private state */
  state?: InMemoryRevocationStoreState;
}

export class InMemoryRevocationStore implements RevocationStore {
  readonly #state: InMemoryRevocationStoreState;
  #closed = false;

  constructor(options: InMemoryRevocationStoreOptions = {}) {
    this.#state = options.state ?? new InMemoryRevocationStoreState();
  }

  /** Records (or replaces) the revocation of `revocation.taskId` until its `expiresAt`. */
  async revoke(revocation: Revocation): Promise<void> {
    this.#assertOpen();
    // Delete first so a repeated revocation moves to the end of `list()`'s order.
    this.#state.revocations.delete(revocation.taskId);
    this.#state.revocations.set(revocation.taskId, structuredClone(revocation));
  }

  async get(taskId: string): Promise<Revocation | undefined> {
    this.#assertOpen();
    const revocation = this.#live(taskId, Date.now());
    return revocation === undefined ? undefined : structuredClone(revocation);
  }

  /** Every revocation in force, in the order they were revoked. */
  async list(): Promise<Revocation[]> {
    this.#assertOpen();
    const nowAt = Date.now();
    const inForce: Revocation[] = [];
    for (const taskId of [...this.#state.revocations.keys()]) {
      const revocation = this.#live(taskId, nowAt);
      if (revocation !== undefined) inForce.push(structuredClone(revocation));
    }
    return inForce;
  }

  /** Detaches this instance; the shared revocations stay for the others. */
  async close(): Promise<void> {
    this.#closed = true;
  }

  #live(taskId: string, nowAt: number): Revocation | undefined {
    const revocation = this.#state.revocations.get(taskId);
    if (revocation === undefined) return undefined;
    if (revocation.expiresAt <= nowAt) {
      this.#state.revocations.delete(taskId);
      return undefined;
    }
    return revocation;
  }

  #assertOpen(): void {
    if (this.#closed) throw new ClosedError('InMemoryRevocationStore');
  }
}
