/**
 * A LockStore in this process's memory. Instances given the same state contend for
 * the same locks, like processes sharing one server. Every operation is a synchronous
 * check-and-set on the caller's thread, so none can interleave with another.
 */
import { ClosedError } from '../errors/errors';
import type { Lock, LockStore } from './lock-store';

interface HeldLock {
  owner: string;
  fencingToken: number;
  expiresAt: number;
}

/** The locks shared by every InMemoryLockStore built on it (one memory:// name). */
export class InMemoryLockStoreState {
  readonly held = new Map<string, HeldLock>();
  /**
   * Last fencing token issued per key. Kept after release so a later holder always
   * gets a larger token than any earlier one.
   */
  readonly lastTokens = new Map<string, number>();
}

export interface InMemoryLockStoreOptions {
  /** Share locks with other instances. @default a fresh, private state */
  state?: InMemoryLockStoreState;
}

export class InMemoryLockStore implements LockStore {
  readonly #state: InMemoryLockStoreState;
  #closed = false;

  constructor(options: InMemoryLockStoreOptions = {}) {
    this.#state = options.state ?? new InMemoryLockStoreState();
  }

  /**
   * Takes `key` for `ttlMs` if it is free, lapsed, or already held by `owner` (which then
   * gets a new token, fencing out its older handle).
   */
  async acquire(key: string, owner: string, ttlMs: number): Promise<Lock | undefined> {
    this.#assertOpen();
    const nowAt = Date.now();
    const current = this.#state.held.get(key);
    if (current !== undefined && current.expiresAt > nowAt && current.owner !== owner) {
      return undefined;
    }
    const fencingToken = (this.#state.lastTokens.get(key) ?? 0) + 1;
    this.#state.lastTokens.set(key, fencingToken);
    const held: HeldLock = { owner, fencingToken, expiresAt: nowAt + ttlMs };
    this.#state.held.set(key, held);
    return { key, ...held };
  }

  /** Extends the lock to `ttlMs` from now if `lock` (owner and token) still holds it. */
  async renew(lock: Lock, ttlMs: number): Promise<boolean> {
    this.#assertOpen();
    const nowAt = Date.now();
    const current = this.#heldBy(lock);
    if (current === undefined || current.expiresAt <= nowAt) return false;
    current.expiresAt = nowAt + ttlMs;
    return true;
  }

  /** Frees the lock if `lock` still holds it; false if it lapsed or changed hands. */
  async release(lock: Lock): Promise<boolean> {
    this.#assertOpen();
    const current = this.#heldBy(lock);
    if (current === undefined) return false;
    this.#state.held.delete(lock.key);
    return current.expiresAt > Date.now();
  }

  /** Detaches this instance; locks it holds stay until released or lapsed, as on a crash. */
  async close(): Promise<void> {
    this.#closed = true;
  }

  #heldBy(lock: Lock): HeldLock | undefined {
    const current = this.#state.held.get(lock.key);
    if (current === undefined) return undefined;
    if (current.fencingToken !== lock.fencingToken || current.owner !== lock.owner)
      return undefined;
    return current;
  }

  #assertOpen(): void {
    if (this.#closed) throw new ClosedError('InMemoryLockStore');
  }
}
