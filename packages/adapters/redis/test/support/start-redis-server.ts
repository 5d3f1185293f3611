/**
 * A private redis-server for tests that kill, restart or reconfigure a server: it runs
 * in the foreground as a child of the test process (so SIGKILL reaches the server
 * itself), on a spare loopback port, with a throw-away data directory. The shared
 * Redis of the test run is never touched. Runs in the test process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ManagedProcess } from '@stem/testing';

/** What redis-server prints once it accepts commands (after loading AOF or RDB). */
const READY_LINE = 'Ready to accept connections';

export interface LocalRedisServerOptions {
  /** Extra `redis-server` arguments, e.g. `['--appendonly', 'yes']`. @default none */
  args?: readonly string[];
  /** Port to listen on. @default a spare loopback port (`freePort`) */
  port?: number;
  /** Data directory. @default a fresh temporary one, deleted by `stop` */
  dir?: string;
  /** How long to wait for readiness, in ms. @default 15_000 */
  readyTimeoutMs?: number;
}

export class LocalRedisServer {
  readonly port: number;
  readonly dir: string;
  readonly url: string;
  readonly #args: readonly string[];
  readonly #ownsDir: boolean;
  readonly #readyTimeoutMs: number;
  #process: ManagedProcess | undefined;

  private constructor(
    port: number,
    dir: string,
    ownsDir: boolean,
    options: LocalRedisServerOptions,
  ) {
    this.port = port;
    this.dir = dir;
    this.url = `redis://127.0.0.1:${port}`;
    this.#ownsDir = ownsDir;
    this.#args = options.args ?? [];
    this.#readyTimeoutMs = options.readyTimeoutMs ?? 15_000;
  }

  /** Starts a server and resolves once it accepts commands. */
  static async start(options: LocalRedisServerOptions = {}): Promise<LocalRedisServer> {
    const port = options.port ?? (await freePort());
    const ownsDir = options.dir === undefined;
    const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'stem-redis-test-')));
    const server = new LocalRedisServer(port, dir, ownsDir, options);
    try {
      await server.restart();
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  /** The current server process (undefined before the first start). */
  get process(): ManagedProcess | undefined {
    return this.#process;
  }

  get running(): boolean {
    return this.#process?.running ?? false;
  }

  /**
   * Starts the server again with the same port, directory and arguments (it reloads its
   * AOF or RDB from the directory). Without `waitReady: false` it resolves once the
   * server accepts commands.
   */
  async restart(options: { waitReady?: boolean } = {}): Promise<ManagedProcess> {
    if (this.running) throw new Error(`redis-server on ${this.port} is still running`);
    const managed = await ManagedProcess.start({
      name: `redis-server:${this.port}`,
      command: 'redis-server',
      args: [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--logfile',
        '',
        ...this.#args,
      ],
      env: {},
    });
    this.#process = managed;
    if (options.waitReady !== false) await this.waitReady();
    return managed;
  }

  /** Resolves once the current process printed its ready line; throws if it exits first. */
  async waitReady(): Promise<void> {
    const managed = this.#process;
    if (managed === undefined) throw new Error('the server was never started');
    const exited = managed.exited.then((exit) => {
      throw new Error(
        `redis-server on ${this.port} exited (${exit.signal ?? exit.code}):\n${managed.output()}`,
      );
    });
    await Promise.race([managed.waitForOutput(READY_LINE, this.#readyTimeoutMs), exited]);
    exited.catch(() => undefined);
  }

  /** SIGKILLs the server (no shutdown save, no final fsync) and resolves once it is gone. */
  async kill(): Promise<void> {
    const managed = this.#process;
    if (managed === undefined || !managed.running) return;
    managed.signal('SIGKILL', { expectExit: true });
    await managed.exited;
  }

  /** Kills the server if it runs and deletes the data directory it created. */
  async stop(): Promise<void> {
    await this.kill();
    if (this.#ownsDir) await rm(this.dir, { recursive: true, force: true });
  }
}
