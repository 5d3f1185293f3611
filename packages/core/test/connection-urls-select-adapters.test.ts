import { randomUUID } from 'node:crypto';
import {
  type AdapterModule,
  type AdapterRole,
  type AdapterSet,
  type Broker,
  connectAdapters,
  createEnvelope,
  type Delivery,
  hasErrorCode,
  parseConnectionUrl,
  redactUrl,
  StemError,
} from '@stem/core';
import { afterEach, describe, expect, it } from 'vitest';

async function rejection(promise: Promise<unknown>): Promise<StemError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StemError) return error;
    throw error;
  }
  throw new Error('expected a StemError');
}

function thrown(action: () => unknown): StemError {
  try {
    action();
  } catch (error) {
    if (error instanceof StemError) return error;
    throw error;
  }
  throw new Error('expected a StemError');
}

/** A loader that fails the way Node does when `missing` is not installed. */
function failingImport(message: string) {
  const calls: string[] = [];
  const importModule = async (packageName: string) => {
    calls.push(packageName);
    throw Object.assign(new Error(message), { code: 'ERR_MODULE_NOT_FOUND' });
  };
  return { calls, importModule };
}

describe('connection URL syntax', () => {
  it('refuses an unknown scheme with URL_INVALID and suggests the nearest one', async () => {
    const error = await rejection(connectAdapters('reddis://localhost:6379'));
    expect(error.code).toBe('URL_INVALID');
    expect(error.message).toContain('unknown scheme "reddis"');
    expect(error.message).toContain('did you mean "redis://"');
    expect(thrown(() => parseConnectionUrl('postgress://db')).message).toContain(
      'did you mean "postgres://"',
    );
  });

  it('suggests nothing for a scheme far from every known one', () => {
    const error = thrown(() => parseConnectionUrl('kafka://broker:9092'));
    expect(error.code).toBe('URL_INVALID');
    expect(error.message).not.toContain('did you mean');
    expect(error.message).toContain('redis');
  });

  it.each(['localhost:6379', 'redis:localhost', '//localhost', '', '   '])(
    'refuses %j, which has no scheme, with URL_INVALID',
    async (text) => {
      const error = await rejection(connectAdapters(text));
      expect(error.code).toBe('URL_INVALID');
    },
  );

  it('accepts schemes in any case and maps them to their package', () => {
    expect(parseConnectionUrl('REDIS://localhost:6379')).toMatchObject({
      scheme: 'redis',
      packageName: '@stem/redis',
    });
    expect(parseConnectionUrl('postgresql://localhost/db').packageName).toBe('@stem/postgres');
    expect(parseConnectionUrl('amqps://host').packageName).toBe('@stem/rabbitmq');
    expect(parseConnectionUrl('sqs://localhost:9324').packageName).toBe('@stem/sqs');
  });

  it.each([
    'reddis://user:hunter2@cache.internal:6379',
    'reddis://:hunter2@cache.internal:6379',
    'redis:/user:hunter2@cache.internal:6379',
    'user:hunter2@cache.internal:6379',
  ])('never shows the password of %s in the error', (text) => {
    const error = thrown(() => parseConnectionUrl(text));
    expect(error.code).toBe('URL_INVALID');
    expect(error.message).not.toContain('hunter2');
    expect(JSON.stringify(error.details)).not.toContain('hunter2');
    expect(error.message).toContain('***@cache.internal');
  });
});

describe('URL redaction', () => {
  it.each([
    ['redis://user:pw@host:6379/0', 'redis://user:***@host:6379/0'],
    ['postgres://:pw@db/app', 'postgres://:***@db/app'],
    ['redis://localhost:6379', 'redis://localhost:6379'],
    ['redis://user@host:6379', 'redis://user@host:6379'],
    ['memory://name', 'memory://name'],
    ['localhost:6379', 'localhost:6379'],
    ['sqs://localhost:9324/queue@x', 'sqs://localhost:9324/queue@x'],
  ])('turns %s into %s', (text, expected) => {
    expect(redactUrl(text)).toBe(expected);
  });
});

describe('adapter packages', () => {
  it('reports ADAPTER_NOT_INSTALLED naming the package when the loader cannot find it', async () => {
    const { calls, importModule } = failingImport(
      "Cannot find package '@stem/redis' imported from /app/src/main.js",
    );
    const error = await rejection(connectAdapters('redis://localhost:6379', { importModule }));
    expect(calls).toEqual(['@stem/redis']);
    expect(error.code).toBe('ADAPTER_NOT_INSTALLED');
    expect(error.message).toContain('@stem/redis');
    expect(error.message).toContain('pnpm add @stem/redis');
    expect(error.details).toEqual({ scheme: 'redis', packageName: '@stem/redis' });
  });

  it('reports ADAPTER_NOT_INSTALLED for a CommonJS-style MODULE_NOT_FOUND too', async () => {
    const importModule = async () => {
      throw Object.assign(new Error("Cannot find module '@stem/sqs'\nRequire stack:\n- /app"), {
        code: 'MODULE_NOT_FOUND',
      });
    };
    const error = await rejection(connectAdapters('sqs://localhost:9324', { importModule }));
    expect(error.code).toBe('ADAPTER_NOT_INSTALLED');
    expect(error.message).toContain('@stem/sqs');
  });

  // With the real loader: @stem/redis is now part of the workspace (and aliased in
  // vitest.config.ts), so this uses an adapter that is not: @stem/sqs.
  it('reports ADAPTER_NOT_INSTALLED with the real loader for a package that is not installed', async () => {
    const error = await rejection(connectAdapters('sqs://localhost:9324'));
    expect(hasErrorCode(error, 'ADAPTER_NOT_INSTALLED')).toBe(true);
    expect(error.message).toContain('pnpm add @stem/sqs');
  });

  it('passes through a missing dependency of an installed adapter instead of blaming the adapter', async () => {
    const { importModule } = failingImport(
      "Cannot find package 'ioredis' imported from /app/node_modules/@stem/redis/dist/index.js",
    );
    const attempt = connectAdapters('redis://localhost:6379', { importModule });
    await expect(attempt).rejects.toThrow(/Cannot find package 'ioredis'/);
    await expect(attempt).rejects.not.toBeInstanceOf(StemError);
  });

  it('passes through any other loading failure unchanged', async () => {
    const broken = new SyntaxError('Unexpected token in @stem/redis');
    const attempt = connectAdapters('redis://localhost', {
      importModule: async () => {
        throw broken;
      },
    });
    await expect(attempt).rejects.toBe(broken);
  });

  it('refuses a package that exports no createAdapters with CAPABILITY_NOT_SUPPORTED', async () => {
    const error = await rejection(
      connectAdapters('amqp://localhost', { importModule: async () => ({ somethingElse: 1 }) }),
    );
    expect(error.code).toBe('CAPABILITY_NOT_SUPPORTED');
    expect(error.message).toContain('@stem/rabbitmq');
  });

  it("hands the parsed URL and the requested roles to the package's createAdapters", async () => {
    const received: Array<{ url: string; roles: readonly AdapterRole[] }> = [];
    const fakeBroker = { capabilities: { adapter: 'fake' } } as unknown as Broker;
    const module: AdapterModule = {
      createAdapters: async <TRole extends AdapterRole>(url: URL, roles: readonly TRole[]) => {
        received.push({ url: url.href, roles });
        return { broker: fakeBroker } as unknown as Pick<AdapterSet, TRole>;
      },
    };
    const adapters = await connectAdapters('redis://cache:6380/2', {
      roles: ['broker'],
      importModule: async () => module,
    });
    expect(adapters.broker).toBe(fakeBroker);
    expect(received).toEqual([{ url: 'redis://cache:6380/2', roles: ['broker'] }]);
  });
});

describe('memory:// URLs', () => {
  const opened: Broker[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((broker) => broker.close()));
  });

  async function memoryBroker(url: string): Promise<Broker> {
    const { broker } = await connectAdapters(url, { roles: ['broker'] });
    opened.push(broker);
    return broker;
  }

  /** Resolves with the first delivery `broker` hands out on `queue`. */
  async function firstDelivery(broker: Broker, queue: string): Promise<Delivery> {
    return new Promise((resolve) => {
      void broker.consume({ queue, prefetch: 1 }, resolve);
    });
  }

  it('shares one state between every URL with the same name', async () => {
    const name = `shared-${randomUUID()}`;
    const producer = await memoryBroker(`memory://${name}`);
    const consumer = await memoryBroker(`memory://${name}`);
    expect(producer).not.toBe(consumer);
    const envelope = createEnvelope({ task: 'demo.task', args: { n: 1 }, queue: 'q' });
    await producer.publish(envelope);
    expect((await consumer.stats('q')).ready).toBe(1);
    const delivery = await firstDelivery(consumer, 'q');
    expect(delivery.envelope.id).toBe(envelope.id);
    await consumer.ack(delivery);
    expect(await producer.stats('q')).toMatchObject({ ready: 0, inFlight: 0 });
  });

  it('keeps differently named URLs apart', async () => {
    const a = await memoryBroker(`memory://a-${randomUUID()}`);
    const b = await memoryBroker(`memory://b-${randomUUID()}`);
    await a.publish(createEnvelope({ task: 'demo.task', args: null, queue: 'q' }));
    expect((await a.stats('q')).ready).toBe(1);
    expect((await b.stats('q')).ready).toBe(0);
    let deliveredToB = 0;
    await b.consume({ queue: 'q', prefetch: 1 }, () => {
      deliveredToB += 1;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(deliveredToB).toBe(0);
    expect((await a.stats('q')).ready).toBe(1);
  });

  it('builds every role when none is named', async () => {
    const adapters = await connectAdapters(`memory://all-${randomUUID()}`);
    expect(Object.keys(adapters).sort()).toEqual([
      'broker',
      'eventBus',
      'lockStore',
      'rateLimiter',
      'resultBackend',
      'revocationStore',
      'scheduleStore',
    ]);
    await Promise.all(Object.values(adapters).map((adapter) => adapter.close()));
  });

  it('never imports a package for memory://', async () => {
    const { calls, importModule } = failingImport('should not be called');
    const { broker } = await connectAdapters(`memory://x-${randomUUID()}`, {
      roles: ['broker'],
      importModule,
    });
    opened.push(broker);
    expect(calls).toEqual([]);
  });
});
