import { randomUUID } from 'node:crypto';
import {
  defineTask,
  type Envelope,
  hasErrorCode,
  InMemoryBroker,
  InMemoryEventBus,
  InMemoryResultBackend,
  InMemoryRevocationStore,
  type ResultRecord,
  Stem,
  StemError,
  type StemEvent,
  TaskFailedError,
} from '@stem/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

/** An in-memory broker that also remembers every envelope it was asked to publish. */
class RecordingBroker extends InMemoryBroker {
  readonly published: Envelope[] = [];
  override async publish(envelope: Envelope): Promise<void> {
    await super.publish(envelope);
    this.published.push(envelope);
  }
}

const sendEmail = defineTask({
  name: 'email.send',
  queue: 'mail',
  priority: 3,
  expiresInMs: 60_000,
  retry: { maxRetries: 5 },
  idempotencyKey: (args: { to: string; subject: string }) => `welcome:${args.to}`,
  run: async (args: { to: string; subject: string }) => ({ id: `msg-${args.to}` }),
});

const plain = defineTask({ name: 'plain.task', run: (args: { n: number }) => args.n * 2 });

const register = defineTask({
  name: 'user.register',
  schema: z.object({ email: z.string().email(), age: z.number().int().min(13) }),
  run: (args) => args.email,
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(options: { defaultQueue?: string } = {}) {
  const broker = new RecordingBroker();
  const resultBackend = new InMemoryResultBackend();
  const revocationStore = new InMemoryRevocationStore();
  const eventBus = new InMemoryEventBus();
  const stem = new Stem({
    broker,
    resultBackend,
    revocationStore,
    eventBus,
    tasks: [sendEmail, plain, register],
    ...options,
  });
  cleanups.push(async () => {
    await stem.close();
    await broker.close();
    await resultBackend.close();
    await revocationStore.close();
    await eventBus.close();
  });
  return { stem, broker, resultBackend, revocationStore, eventBus };
}

function record(taskId: string, fields: Partial<ResultRecord>): ResultRecord {
  return {
    taskId,
    status: 'SUCCESS',
    meta: { taskName: 'email.send' },
    updatedAt: Date.now(),
    ...fields,
  };
}

async function rejection(promise: Promise<unknown>): Promise<StemError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StemError) return error;
    throw error;
  }
  throw new Error('expected a StemError');
}

describe('enqueue options', () => {
  it('take the task options when the call gives none', async () => {
    const { stem, broker } = setup({ defaultQueue: 'client-default' });
    const before = Date.now();
    await stem.enqueue(sendEmail, { to: 'ada@example.com', subject: 'Hi' });
    const envelope = broker.published[0]!;
    expect(envelope).toMatchObject({
      task: 'email.send',
      queue: 'mail',
      priority: 3,
      maxRetries: 5,
      idempotencyKey: 'welcome:ada@example.com',
      attempt: 1,
    });
    expect(envelope.expiresAt).toBeGreaterThanOrEqual(before + 60_000);
    expect(envelope.expiresAt).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it('let call options win over task options', async () => {
    const { stem, broker } = setup({ defaultQueue: 'client-default' });
    await stem.enqueue(
      sendEmail,
      { to: 'ada@example.com', subject: 'Hi' },
      { queue: 'urgent', priority: 9, maxRetries: 0, idempotencyKey: 'explicit' },
    );
    expect(broker.published[0]).toMatchObject({
      queue: 'urgent',
      priority: 9,
      maxRetries: 0,
      idempotencyKey: 'explicit',
    });
  });

  it("fall back to the client's default queue when neither call nor task names one", async () => {
    const { stem, broker } = setup({ defaultQueue: 'client-default' });
    await stem.enqueue(plain, { n: 1 });
    expect(broker.published[0]!.queue).toBe('client-default');
    expect((await broker.stats('client-default')).ready).toBe(1);
  });

  it("use 'default' when nothing names a queue", async () => {
    const { stem, broker } = setup();
    await stem.enqueue(plain, { n: 1 });
    expect(broker.published[0]!.queue).toBe('default');
  });

  it('turn delayMs into notBeforeAt and hold the message as delayed', async () => {
    const { stem, broker } = setup();
    const before = Date.now();
    await stem.enqueue(plain, { n: 1 }, { delayMs: 60_000 });
    const { notBeforeAt } = broker.published[0]!;
    expect(notBeforeAt).toBeGreaterThanOrEqual(before + 60_000);
    expect(notBeforeAt).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(await broker.stats('default')).toMatchObject({ ready: 0, delayed: 1 });
  });

  it('turn an eta (Date or epoch ms) into notBeforeAt, preferring it over delayMs', async () => {
    const { stem, broker } = setup();
    const eta = Date.now() + 3_600_000;
    await stem.enqueue(plain, { n: 1 }, { eta: new Date(eta) });
    await stem.enqueue(plain, { n: 2 }, { eta: eta + 1, delayMs: 5 });
    expect(broker.published.map((envelope) => envelope.notBeforeAt)).toEqual([eta, eta + 1]);
  });

  it('turn expiresInMs into expiresAt', async () => {
    const { stem, broker } = setup();
    const before = Date.now();
    await stem.enqueue(plain, { n: 1 }, { expiresInMs: 5_000 });
    const { expiresAt } = broker.published[0]!;
    expect(expiresAt).toBeGreaterThanOrEqual(before + 5_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 5_000);
  });

  it('leave optional fields out when nothing sets them', async () => {
    const { stem, broker } = setup();
    await stem.enqueue(plain, { n: 1 }, { taskId: 'chosen-id', headers: { origin: 'test' } });
    const envelope = broker.published[0]!;
    expect(envelope.id).toBe('chosen-id');
    expect(envelope.headers).toEqual({ origin: 'test' });
    for (const field of ['notBeforeAt', 'expiresAt', 'idempotencyKey', 'parentId']) {
      expect(envelope).not.toHaveProperty(field);
    }
  });
});

describe('enqueue validation', () => {
  it('rejects invalid arguments before anything is published', async () => {
    const { stem, broker } = setup();
    const error = await rejection(stem.enqueue(register, { email: 'nope', age: 9 }));
    expect(error.code).toBe('ARGUMENTS_INVALID');
    expect(error.message).toContain('email');
    expect(error.message).toContain('age');
    expect(broker.published).toEqual([]);
    expect(await broker.stats('default')).toEqual({
      queue: 'default',
      ready: 0,
      delayed: 0,
      inFlight: 0,
      dead: 0,
    });
  });

  it('publishes valid arguments', async () => {
    const { stem, broker } = setup();
    await stem.enqueue(register, { email: 'ada@example.com', age: 36 });
    expect(broker.published[0]!.args).toEqual({ email: 'ada@example.com', age: 36 });
  });

  it('enqueueByName refuses names the client does not know', async () => {
    const { stem, broker } = setup();
    const error = await rejection(stem.enqueueByName('email.sendd', { to: 'x', subject: 'y' }));
    expect(error.code).toBe('UNKNOWN_TASK');
    expect(error.message).toContain('did you mean "email.send"');
    expect(broker.published).toEqual([]);
  });

  it('enqueueByName validates arguments of known tasks and applies their options', async () => {
    const { stem, broker } = setup();
    const invalid = await rejection(stem.enqueueByName('user.register', { email: 1 }));
    expect(invalid.code).toBe('ARGUMENTS_INVALID');
    await stem.enqueueByName('email.send', { to: 'ada@example.com', subject: 'Hi' });
    expect(broker.published.map((envelope) => envelope.queue)).toEqual(['mail']);
  });

  it('enqueueByName without a registry publishes any name as given', async () => {
    const broker = new RecordingBroker();
    const stem = new Stem({ broker });
    cleanups.push(() => broker.close());
    await stem.enqueueByName('elsewhere.defined', { any: 'thing' }, { queue: 'other' });
    expect(broker.published[0]).toMatchObject({
      task: 'elsewhere.defined',
      args: { any: 'thing' },
      queue: 'other',
    });
  });
});

describe('task results', () => {
  it('are PENDING before any record exists', async () => {
    const { stem } = setup();
    const result = await stem.enqueue(plain, { n: 1 });
    expect(await result.status()).toBe('PENDING');
    expect(await result.record()).toBeUndefined();
  });

  it('resolve get() with the SUCCESS payload once a worker writes it', async () => {
    const { stem, resultBackend } = setup();
    const result = await stem.enqueue(sendEmail, { to: 'ada@example.com', subject: 'Hi' });
    const waiting = result.get({ timeoutMs: 5_000 });
    await resultBackend.set(record(result.id, { status: 'STARTED' }));
    expect(await result.status()).toBe('STARTED');
    await resultBackend.set(record(result.id, { payload: { id: 'msg-1' } }));
    expect(await waiting).toEqual({ id: 'msg-1' });
    expect(await result.status()).toBe('SUCCESS');
  });

  it('reject get() with TASK_FAILED carrying the error record as cause', async () => {
    const { stem, resultBackend } = setup();
    const result = await stem.enqueue(sendEmail, { to: 'ada@example.com', subject: 'Hi' });
    const cause = { type: 'SmtpError', message: 'mailbox full', code: 'E552', retryable: false };
    await resultBackend.set(record(result.id, { status: 'FAILURE', error: cause }));
    const error = await rejection(result.get());
    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error.code).toBe('TASK_FAILED');
    expect(error.cause).toEqual(cause);
    expect(error.message).toContain('email.send');
    expect(error.message).toContain('SmtpError: mailbox full');
  });

  it('reject get() with TASK_REVOKED and the reason', async () => {
    const { stem, resultBackend } = setup();
    const result = await stem.enqueue(plain, { n: 1 });
    await resultBackend.set(
      record(result.id, { status: 'REVOKED', meta: { note: 'cancelled by an operator' } }),
    );
    const error = await rejection(result.get());
    expect(error.code).toBe('TASK_REVOKED');
    expect(error.message).toContain('cancelled by an operator');
  });

  it('reject get() with RESULT_TIMEOUT when nothing finishes in time', async () => {
    const { stem } = setup();
    const result = await stem.enqueue(plain, { n: 1 });
    const error = await rejection(result.get({ timeoutMs: 30 }));
    expect(error.code).toBe('RESULT_TIMEOUT');
    expect(error.retryable).toBe(true);
  });

  it('are reachable by id from another handle', async () => {
    const { stem, resultBackend } = setup();
    const { id } = await stem.enqueue(plain, { n: 21 });
    await resultBackend.set(record(id, { payload: 42 }));
    expect(await stem.result<number>(id).get()).toBe(42);
  });

  it('refuse with CAPABILITY_NOT_SUPPORTED when the client has no result backend', async () => {
    const broker = new InMemoryBroker();
    cleanups.push(() => broker.close());
    const result = await new Stem({ broker }).enqueue(plain, { n: 1 });
    expect((await rejection(result.get())).code).toBe('CAPABILITY_NOT_SUPPORTED');
  });
});

describe('revoke', () => {
  it('stores a revocation and emits a revoke-requested event', async () => {
    const { stem, revocationStore, eventBus } = setup();
    const events: StemEvent[] = [];
    await eventBus.subscribe((event) => events.push(event), ['task.revoke-requested']);
    const before = Date.now();
    await stem.revoke('task-9', { reason: 'duplicate order', terminate: true, keepForMs: 10_000 });
    const stored = await revocationStore.get('task-9');
    expect(stored).toMatchObject({ taskId: 'task-9', reason: 'duplicate order', terminate: true });
    expect(stored!.revokedAt).toBeGreaterThanOrEqual(before);
    expect(stored!.expiresAt).toBe(stored!.revokedAt + 10_000);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(events).toEqual([
      {
        type: 'task.revoke-requested',
        taskId: 'task-9',
        reason: 'duplicate order',
        terminate: true,
        at: stored!.revokedAt,
      },
    ]);
  });

  it('defaults to a reason, no termination and a 24 h memory', async () => {
    const { stem, revocationStore } = setup();
    await stem.revoke('task-10');
    const stored = await revocationStore.get('task-10');
    expect(stored).toMatchObject({ reason: 'revoked by request', terminate: false });
    expect(stored!.expiresAt - stored!.revokedAt).toBe(86_400_000);
  });

  it('is refused with CAPABILITY_NOT_SUPPORTED without a revocation store', async () => {
    const broker = new InMemoryBroker();
    cleanups.push(() => broker.close());
    const error = await rejection(new Stem({ broker }).revoke('task-11'));
    expect(hasErrorCode(error, 'CAPABILITY_NOT_SUPPORTED')).toBe(true);
  });
});

describe('Stem.connect', () => {
  it('builds working adapters from a memory:// URL and closes what it created', async () => {
    const url = `memory://producer-${randomUUID()}`;
    const stem = await Stem.connect({ brokerUrl: url, tasks: [plain] });
    const result = await stem.enqueue(plain, { n: 1 });
    expect((await stem.broker.stats('default')).ready).toBe(1);
    await stem.resultBackend!.set(record(result.id, { payload: 2 }));
    expect(await result.get()).toBe(2);
    await stem.revoke(result.id);

    await stem.close();
    expect(hasErrorCode(await rejection(stem.enqueue(plain, { n: 2 })), 'CLOSED')).toBe(true);
    expect(hasErrorCode(await rejection(result.status()), 'CLOSED')).toBe(true);

    // The shared memory state outlives the client: a new client on the URL sees it.
    const again = await Stem.connect({ brokerUrl: url });
    cleanups.push(() => again.close());
    expect((await again.broker.stats('default')).ready).toBe(1);
    expect(await again.result(result.id).get()).toBe(2);
  });

  it('never closes adapters it was given', async () => {
    const eventBus = new InMemoryEventBus();
    cleanups.push(() => eventBus.close());
    const stem = await Stem.connect({ brokerUrl: `memory://given-${randomUUID()}`, eventBus });
    await stem.close();
    await expect(eventBus.subscribe(() => {})).resolves.toBeTypeOf('function');
  });

  it('takes results from resultBackendUrl when given', async () => {
    const resultsUrl = `memory://results-${randomUUID()}`;
    const stem = await Stem.connect({
      brokerUrl: `memory://broker-${randomUUID()}`,
      resultBackendUrl: resultsUrl,
    });
    cleanups.push(() => stem.close());
    const observer = await Stem.connect({ brokerUrl: resultsUrl });
    cleanups.push(() => observer.close());
    const { id } = await stem.enqueue(plain, { n: 1 });
    await observer.resultBackend!.set(record(id, { payload: 'seen' }));
    expect(await stem.result(id).get()).toBe('seen');
  });

  it('refuses a bad URL with URL_INVALID', async () => {
    expect((await rejection(Stem.connect({ brokerUrl: 'memroy://x' }))).code).toBe('URL_INVALID');
  });
});
