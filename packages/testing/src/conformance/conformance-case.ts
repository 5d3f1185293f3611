/**
 * The shape shared by every conformance suite: a list of cases, each a promise an
 * adapter makes and an async check that throws when the adapter breaks it. Cases are
 * plain functions (node:assert inside), so the same list runs under vitest through
 * `describe…Conformance` and, in our own tests, against deliberately broken adapters
 * that must make a case throw.
 */
import { randomUUID } from 'node:crypto';

// vitest refuses to load outside its runner, and worker processes spawned by tests
// import this package too (ledger, memory host): load it only where it can load.
const vitest: typeof import('vitest') | undefined = await import('vitest').catch(() => undefined);

export interface ConformanceCase<TContext> {
  /** Kebab-case name of the promise, e.g. `lease-expiry-redelivers`. */
  name: string;
  /** One sentence: what an adapter passing this case guarantees. */
  promise: string;
  /** Per-case time budget. @default 20_000 */
  timeoutMs?: number;
  run(context: TContext): Promise<void>;
}

/** Hands out adapter instances in a namespace unique to one case, and closes them after. */
export class CaseResources<TAdapter extends { close(): Promise<void> }> {
  readonly namespace: string;
  readonly #open: (namespace: string) => Promise<TAdapter> | TAdapter;
  readonly #opened: TAdapter[] = [];

  constructor(open: (namespace: string) => Promise<TAdapter> | TAdapter, namespace?: string) {
    this.namespace = namespace ?? `stem-conf-${randomUUID().slice(0, 8)}`;
    this.#open = open;
  }

  /**
   * Another instance on the same namespace, as a second process would have. Every
   * instance opened here is closed by `closeAll`.
   */
  async open(): Promise<TAdapter> {
    const adapter = await this.#open(this.namespace);
    this.#opened.push(adapter);
    return adapter;
  }

  async closeAll(): Promise<void> {
    const results = await Promise.allSettled(
      this.#opened.splice(0).map((adapter) => adapter.close()),
    );
    const failed = results.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  }
}

/** Runs one case with fresh resources, closing them whatever happens. */
export async function runConformanceCase<TAdapter extends { close(): Promise<void> }, TContext>(
  conformanceCase: ConformanceCase<TContext>,
  resources: CaseResources<TAdapter>,
  makeContext: (resources: CaseResources<TAdapter>) => TContext,
): Promise<void> {
  try {
    await conformanceCase.run(makeContext(resources));
  } finally {
    await resources.closeAll();
  }
}

/** Registers every case as a vitest test inside `describe(title)`. */
export function describeCases<TAdapter extends { close(): Promise<void> }, TContext>(
  title: string,
  cases: readonly ConformanceCase<TContext>[],
  open: (namespace: string) => Promise<TAdapter> | TAdapter,
  makeContext: (resources: CaseResources<TAdapter>) => TContext,
): void {
  if (vitest === undefined) {
    throw new Error('describe…Conformance registers vitest tests: call it from a vitest test file');
  }
  const { describe, it } = vitest;
  describe(title, () => {
    for (const conformanceCase of cases) {
      it(
        `${conformanceCase.name}: ${conformanceCase.promise}`,
        () => runConformanceCase(conformanceCase, new CaseResources(open), makeContext),
        conformanceCase.timeoutMs ?? 20_000,
      );
    }
  });
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `condition` every `everyMs` until it returns true or `timeoutMs` passes, then
 * throws with `description`. For tests only: products never poll.
 */
export async function eventually(
  description: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  everyMs = 10,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await sleep(everyMs);
  }
}
