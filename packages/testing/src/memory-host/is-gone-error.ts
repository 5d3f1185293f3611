/**
 * Whether `error` says the host or the connection is gone. Closing or cancelling
 * something on a host that is gone has nothing left to do: the host dropped it all
 * when the connection ended, so those calls succeed instead of failing.
 */
import { hasErrorCode } from '@stem/core';

export function isGoneError(error: unknown): boolean {
  return hasErrorCode(error, 'CONNECTION_FAILED') || hasErrorCode(error, 'CLOSED');
}
