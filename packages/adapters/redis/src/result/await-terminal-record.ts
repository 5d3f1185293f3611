/**
 * The wait behind `RedisResultBackend.waitFor`: subscribe to the task's channel, then
 * read the record once more (a write that landed before the subscription was live is
 * seen by that read; one after it, by the message), then settle on the first of the
 * notification, the timeout, the abort signal or the backend's close. Never polls.
 */
import {
  isTerminalStatus,
  type ResultRecord,
  ResultTimeoutError,
  type WaitOptions,
} from '@stem/core';
import type { ChannelSubscriber } from '../connection/channel-subscriber';

export interface TerminalRecordWait {
  taskId: string;
  options: WaitOptions;
  /** The backend's pending waits; close() calls each with CLOSED. */
  pendingWaits: Set<(error: Error) => void>;
  subscriber: ChannelSubscriber;
  channel: string;
  /** Decodes a notification into the record it announces. */
  parse(message: string): ResultRecord | undefined;
  /** Reads the stored record. */
  read(): Promise<ResultRecord | undefined>;
}

export function awaitTerminalRecord(wait: TerminalRecordWait): Promise<ResultRecord> {
  const { taskId, options, pendingWaits, subscriber } = wait;
  const { timeoutMs, signal } = options;
  return new Promise<ResultRecord>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let stopListening: (() => Promise<void>) | undefined;
    let stopReconnect: (() => void) | undefined;

    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      pendingWaits.delete(onClose);
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      stopReconnect?.();
      void stopListening?.();
      outcome();
    };
    const accept = (record: ResultRecord | undefined): void => {
      if (record !== undefined && isTerminalStatus(record.status)) settle(() => resolve(record));
    };
    const onMessage = (message: string): void => {
      try {
        accept(wait.parse(message));
      } catch {
        // A malformed message is not ours to act on; the record itself is the truth.
      }
    };
    const onClose = (error: Error): void => settle(() => reject(error));
    const onAbort = (): void => settle(() => reject(signal?.reason));
    // Messages published while the subscriber was reconnecting are lost: read again.
    const recheck = (): void => {
      wait.read().then(accept, () => undefined);
    };

    pendingWaits.add(onClose);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs !== undefined) {
      timer = setTimeout(
        () => settle(() => reject(new ResultTimeoutError(taskId, timeoutMs))),
        timeoutMs,
      );
      timer.unref();
    }
    subscriber
      .listen(wait.channel, onMessage)
      .then(async (stop) => {
        if (settled) {
          await stop();
          return;
        }
        stopListening = stop;
        stopReconnect = subscriber.onReconnect(recheck);
        accept(await wait.read());
      })
      .catch((error: unknown) => settle(() => reject(error)));
  });
}
