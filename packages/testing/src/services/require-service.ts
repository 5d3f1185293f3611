/**
 * Integration tests call `requireService` before they touch a real server. A server
 * that does not answer is a failure with a message saying how to start it: never a
 * skip, in CI or anywhere else.
 */
import { connect } from 'node:net';

export type TestService = 'redis' | 'postgres' | 'rabbitmq' | 'sqs';

const DEFAULT_URLS: Record<TestService, string> = {
  redis: 'redis://127.0.0.1:6379',
  postgres: 'postgres://postgres@127.0.0.1:5432/test',
  rabbitmq: 'amqp://guest:guest@127.0.0.1:5672',
  sqs: 'sqs://127.0.0.1:9324',
};

const ENV_NAMES: Record<TestService, string> = {
  redis: 'STEM_REDIS_URL',
  postgres: 'STEM_POSTGRES_URL',
  rabbitmq: 'STEM_RABBITMQ_URL',
  sqs: 'STEM_SQS_URL',
};

/** The URL integration tests use for `service`: its STEM_* variable, or the local default. */
export function testServiceUrl(service: TestService): string {
  return process.env[ENV_NAMES[service]] ?? DEFAULT_URLS[service];
}

/** Resolves to the service's URL once a TCP connection succeeds; throws a clear error otherwise. */
export async function requireService(service: TestService, timeoutMs = 2_000): Promise<string> {
  const url = testServiceUrl(service);
  const parsed = new URL(url);
  const port = Number(parsed.port || DEFAULT_URLS[service].split(':').at(-1)?.split('/')[0]);
  const host = parsed.hostname || '127.0.0.1';
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
  if (!reachable) {
    throw new Error(
      `${service} is not reachable at ${host}:${port} (${ENV_NAMES[service]}); ` +
        `run "bash scripts/services/${service}.sh" (npm test does it for you) or set ${ENV_NAMES[service]}`,
    );
  }
  return url;
}
