/**
 * The error a memory-host client raises when it cannot reach its host: the connect
 * failed, or the host went away (closed, crashed, SIGKILLed) with calls in flight or
 * later. Code CONNECTION_FAILED, retryable, like a driver's error for a lost server.
 */
import { StemError } from '@stem/core';

export class MemoryHostUnreachableError extends StemError {
  constructor(socketPath: string, problem: string, cause?: unknown) {
    super('CONNECTION_FAILED', `memory host at ${socketPath} is unreachable: ${problem}`, {
      retryable: true,
      details: { socketPath },
      ...(cause === undefined ? {} : { cause }),
    });
  }
}
