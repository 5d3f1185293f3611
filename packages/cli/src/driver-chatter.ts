/**
 * Drivers report connection trouble on their own: ioredis prints "[ioredis] Unhandled
 * error event: <stack>" for a failed reconnect of a client nobody listens to, and the
 * Redis adapters emit a `StemRedisConnectionWarning` once per outage. Outside --verbose
 * the ioredis lines are always dropped (the adapters' warning covers an outage), and the
 * adapters' warnings are dropped while the CLI is still connecting, since it then
 * reports an unreachable server itself, in one line. Later outages (a worker's server
 * restarting) are still reported, as is everything else (a task's own console.error
 * included).
 */
const CHATTER = /^\[ioredis\] /;
const CONNECTION_WARNINGS = new Set(['StemRedisConnectionWarning']);

let connecting = true;

export function quietDriverChatter(): void {
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && CHATTER.test(args[0])) return;
    original(...args);
  };
  // Node prints warnings from its own 'warning' listener: keep it, behind a filter.
  const printers = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (connecting && CONNECTION_WARNINGS.has(warning.name)) return;
    for (const print of printers) print(warning);
  });
}

/** Every connection is open: from now on connection warnings reach stderr again. */
export function connectionsOpened(): void {
  connecting = false;
}
