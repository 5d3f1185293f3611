/**
 * The wire format between a MemoryAdapterHost and its clients: one JSON object per
 * line over a Unix domain socket. Clients send requests; the host answers each with a
 * response carrying the same id (possibly much later, as for `waitFor`) and pushes
 * consume deliveries and bus events to the subscription the client named. Runs on the
 * main thread of whichever process holds the socket.
 */
import type { Socket } from 'node:net';
import type { Delivery, ErrorRecord, StemEvent } from '@stem/core';

/** Bumped whenever a message changes shape; the host refuses a client of another version. */
export const MEMORY_HOST_PROTOCOL_VERSION = 1;

/** The namespace a client gets when it names none. */
export const DEFAULT_MEMORY_HOST_NAMESPACE = 'default';

/**
 * A call from a client. `method` is `<adapter>.<operation>` (`broker.ack`,
 * `result.waitFor` …); `target` names one adapter instance among those the client
 * opened on this connection, so several instances can share one socket. A null
 * argument means "not given" (JSON has no undefined).
 */
export interface HostRequest {
  id: number;
  method: string;
  target: number;
  args: unknown[];
}

/** The answer to one request. An error travels as an ErrorRecord, so its code survives. */
export type HostResponse =
  | { id: number; ok: true; value?: unknown }
  | { id: number; ok: false; error: ErrorRecord };

/** Sent by the host unasked, to a subscription id the client chose when subscribing. */
export type HostPush =
  | { push: 'delivery'; subscriptionId: string; delivery: Delivery }
  | { push: 'event'; subscriptionId: string; event: StemEvent };

/** Any line the host writes. */
export type HostMessage = HostResponse | HostPush;

/**
 * Writes `message` as one line unless the socket is already gone: a peer that died
 * mid-conversation is normal here (that is what the crash tests do), not an error.
 */
export function writeMessage(socket: Socket, message: HostRequest | HostMessage): void {
  if (socket.destroyed || !socket.writable) return;
  socket.write(`${JSON.stringify(message)}\n`);
}

/**
 * Calls `onMessage` with each parsed line of `socket` (which it switches to UTF-8, so
 * a character split across chunks is joined first). A line that is not JSON is a
 * broken peer: `onInvalid` gets the reason and the rest of the stream is ignored.
 */
export function readMessages(
  socket: Socket,
  onMessage: (message: unknown) => void,
  onInvalid: (reason: string) => void,
): void {
  let pending = '';
  let broken = false;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    if (broken) return;
    let start = 0;
    let end = chunk.indexOf('\n');
    while (end !== -1) {
      const line = pending + chunk.slice(start, end);
      pending = '';
      start = end + 1;
      end = chunk.indexOf('\n', start);
      if (line === '') continue;
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch (error) {
        broken = true;
        onInvalid(`a line is not JSON (${error instanceof Error ? error.message : String(error)})`);
        return;
      }
      onMessage(message);
    }
    pending += chunk.slice(start);
  });
}

/** True for an object shaped like a HostRequest. */
export function isHostRequest(value: unknown): value is HostRequest {
  if (typeof value !== 'object' || value === null) return false;
  const request = value as Record<string, unknown>;
  return (
    typeof request.id === 'number' &&
    typeof request.method === 'string' &&
    typeof request.target === 'number' &&
    Array.isArray(request.args)
  );
}
