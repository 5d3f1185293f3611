/**
 * The key layout of one queue on Redis, in the order every broker script receives it
 * (scripts/queue-layout.lua names them on the Lua side). All keys carry the queue's
 * `{q:<queue>}` hash tag, so one script can touch all of them on a cluster.
 */
import { queueKey } from '../connection/redis-connection';

/** Priority levels 0..9, one stream each; the envelope allows no more. */
export const PRIORITY_LEVELS = 10;

/** Number of keys every broker script receives (see `queueKeys`). */
export const QUEUE_KEY_COUNT = PRIORITY_LEVELS * 2 + 6;

/** Consumer group every Stem consumer of a queue joins. */
export const CONSUMER_GROUP = 'stem';

/**
 * The keys of `queue` under `namespace`: stream:0..9, lease-ends:0..9, leases, delayed,
 * delayed-messages, dead, levels, wake.
 */
export function queueKeys(namespace: string, queue: string): string[] {
  const keys: string[] = [];
  for (let p = 0; p < PRIORITY_LEVELS; p += 1) keys.push(queueKey(namespace, queue, `stream:${p}`));
  for (let p = 0; p < PRIORITY_LEVELS; p += 1) {
    keys.push(queueKey(namespace, queue, `lease-ends:${p}`));
  }
  keys.push(
    queueKey(namespace, queue, 'leases'),
    queueKey(namespace, queue, 'delayed'),
    queueKey(namespace, queue, 'delayed-messages'),
    queueKey(namespace, queue, 'dead'),
    queueKey(namespace, queue, 'levels'),
    queueKey(namespace, queue, 'wake'),
  );
  return keys;
}

/**
 * The streams an idle consumer blocks on, in the order of the reserve's last ids: the
 * priority streams 0..9, then `wake` (a delayed message became the earliest due).
 */
export function blockingStreamKeys(keys: readonly string[]): string[] {
  return [...keys.slice(0, PRIORITY_LEVELS), keys[QUEUE_KEY_COUNT - 1]!];
}

/** The dead-letter stream key within `queueKeys`' result. */
export function deadKey(keys: readonly string[]): string {
  return keys[PRIORITY_LEVELS * 2 + 3]!;
}
