/**
 * The LockStore contract: short leases on a named resource with a fencing token,
 * for the few places that need mutual exclusion (a single reaper, a migration).
 * Occurrence firing does not rely on it: that is the ScheduleStore's claim.
 */

export interface Lock {
  key: string;
  owner: string;
  /** Strictly increases with every successful acquisition of `key`. */
  fencingToken: number;
  /** Epoch ms at which the lock lapses unless renewed. */
  expiresAt: number;
}

export interface LockStore {
  /** Takes the lock if free or lapsed; resolves undefined if someone else holds it. */
  acquire(key: string, owner: string, ttlMs: number): Promise<Lock | undefined>;
  /** Extends a held lock; resolves false if it lapsed or changed hands (fenced by token). */
  renew(lock: Lock, ttlMs: number): Promise<boolean>;
  /** Releases a held lock; resolves false if it was no longer held by this token. */
  release(lock: Lock): Promise<boolean>;
  close(): Promise<void>;
}
