/** An assertion shared by broker cases: a promise rejects with a given Stem error code. */
import assert from 'node:assert/strict';
import { hasErrorCode, type StemErrorCode } from '@stem/core';

/** Asserts that `promise` rejects with an error carrying `code`; `what` names the call. */
export async function assertRejectsWithCode(
  promise: Promise<unknown>,
  code: StemErrorCode,
  what: string,
): Promise<void> {
  await assert.rejects(
    promise,
    (error: unknown) => {
      assert.ok(
        hasErrorCode(error, code),
        `${what}: expected code ${code}, got ${describe(error)}`,
      );
      return true;
    },
    `${what} should have been refused with ${code}`,
  );
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}${typeof code === 'string' ? ` (${code})` : ''}: ${error.message}`;
  }
  return String(error);
}
