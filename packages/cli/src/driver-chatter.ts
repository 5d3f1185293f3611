/**
 * ioredis prints "[ioredis] Unhandled error event: <stack>" for every failed reconnect
 * of a client nobody listens to. The CLI reports an unreachable server itself, in one
 * line, so outside --verbose those messages are dropped. Everything else still reaches
 * stderr (a task's own console.error included).
 */
const CHATTER = /^\[ioredis\] /;

export function quietDriverChatter(): void {
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && CHATTER.test(args[0])) return;
    original(...args);
  };
}
