/**
 * The RevocationStore contract: revoked task ids, persisted so that a revocation
 * survives worker restarts, each kept until it expires.
 */

export interface Revocation {
  taskId: string;
  reason: string;
  /** Abort the task if it is already running. */
  terminate: boolean;
  revokedAt: number;
  /** Epoch ms after which the entry is dropped (a task cannot run forever). */
  expiresAt: number;
}

export interface RevocationStore {
  revoke(revocation: Revocation): Promise<void>;
  /** The revocation of `taskId`, if one is in force. */
  get(taskId: string): Promise<Revocation | undefined>;
  /** Every revocation in force (a starting worker loads them). */
  list(): Promise<Revocation[]>;
  close(): Promise<void>;
}
