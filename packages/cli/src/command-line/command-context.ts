/**
 * What a running command sees: its arguments, its settings resolved in order of
 * precedence (flag, then `STEM_*` environment variable, then config file), typed
 * readers that name the source of a bad value, output helpers and `connect()`.
 */
import type { AdapterRole } from '@stem/core';
import { usageError } from '../cli-error';
import type { CliIo } from '../cli-io';
import {
  type ConfigValues,
  DEFAULT_CONFIG_FILE,
  emptyToUndefined,
} from '../config/load-config-file';
import { type Connection, checkUrl, openConnection } from '../connection/open-connection';
import { type CommandSpec, camelCase, envName } from './command-spec';
import {
  type IntegerRange,
  parseChoice,
  parseDuration,
  parseInteger,
  parseQueueName,
} from './option-values';
import { allOptions, type FlagValue } from './parse-command-line';

/** @default for --connect-timeout-ms */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

interface Found {
  value: FlagValue;
  /** How the user wrote it: `--queue`, `STEM_QUEUE`, `"queue" in stem.config.json`. */
  label: string;
}

export class CommandContext {
  readonly command: CommandSpec;
  readonly io: CliIo;
  readonly positionals: readonly string[];
  readonly #flags: ReadonlyMap<string, FlagValue>;
  readonly #config: ConfigValues;

  constructor(
    command: CommandSpec,
    io: CliIo,
    flags: ReadonlyMap<string, FlagValue>,
    positionals: readonly string[],
    config: ConfigValues,
  ) {
    this.command = command;
    this.io = io;
    this.#flags = flags;
    this.positionals = positionals;
    this.#config = config;
  }

  get json(): boolean {
    return this.#flags.get('json') === true;
  }

  /** Where a setting came from, or undefined if it was not given anywhere. */
  #find(flag: string): Found | undefined {
    const spec = allOptions(this.command)[flag];
    if (spec === undefined)
      throw new Error(`internal: ${this.command.path.join(' ')} has no option --${flag}`);
    const given = this.#flags.get(flag);
    if (given !== undefined) return { value: given, label: `--${flag}` };
    if (spec.configurable !== true) return undefined;
    const fromEnv = emptyToUndefined(this.io.env[envName(flag)]);
    if (fromEnv !== undefined) {
      const value =
        spec.type === 'boolean'
          ? fromEnv === 'true' || fromEnv === '1'
          : spec.multiple
            ? fromEnv.split(',')
            : fromEnv;
      return { value, label: envName(flag) };
    }
    const fromConfig = this.#config.get(flag);
    if (fromConfig !== undefined)
      return { value: fromConfig, label: `"${camelCase(flag)}" in the config file` };
    return undefined;
  }

  /** A string setting's text and how it was given. */
  text(flag: string): { text: string; label: string } | undefined {
    const found = this.#find(flag);
    if (found === undefined) return undefined;
    const value = Array.isArray(found.value) ? found.value.at(-1) : found.value;
    return typeof value === 'string' ? { text: value, label: found.label } : undefined;
  }

  string(flag: string): string | undefined {
    return this.text(flag)?.text;
  }

  /** A repeatable setting; each occurrence may also be a comma list. */
  strings(flag: string): { texts: string[]; label: string } {
    const found = this.#find(flag);
    if (found === undefined) return { texts: [], label: `--${flag}` };
    const raw = Array.isArray(found.value) ? found.value : [String(found.value)];
    return { texts: raw.flatMap((text) => text.split(',')), label: found.label };
  }

  flag(flag: string): boolean {
    return this.#find(flag)?.value === true;
  }

  integer(flag: string, range: IntegerRange = {}): number | undefined {
    const found = this.text(flag);
    return found === undefined ? undefined : parseInteger(found.label, found.text, range);
  }

  duration(flag: string, minMs = 0): number | undefined {
    const found = this.text(flag);
    return found === undefined ? undefined : parseDuration(found.label, found.text, minMs);
  }

  choice<T extends string>(flag: string, choices: readonly T[]): T | undefined {
    const found = this.text(flag);
    return found === undefined ? undefined : parseChoice(found.label, found.text, choices);
  }

  queue(flag: string): string | undefined {
    const found = this.text(flag);
    return found === undefined ? undefined : parseQueueName(found.label, found.text);
  }

  queues(flag: string, fallback: readonly string[]): string[] {
    const { texts, label } = this.strings(flag);
    const queues = texts.map((text) => parseQueueName(label, text));
    return queues.length === 0 ? [...fallback] : [...new Set(queues)];
  }

  /** Prints one line (or a block) to stdout. */
  out(text: string): void {
    this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  outJson(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value)}\n`);
  }

  /** Notes for people (progress, "ready"), on stderr so stdout stays parseable. */
  note(text: string): void {
    this.io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** The connection URLs; a missing broker URL is a usage error that says where to set it. */
  urls(): { brokerUrl: string; resultBackendUrl: string; scheduleStoreUrl: string } {
    const brokerUrl = this.string('broker-url');
    if (brokerUrl === undefined) {
      throw usageError(
        `no broker URL: pass --broker-url, set STEM_BROKER_URL or put "brokerUrl" in ${DEFAULT_CONFIG_FILE}`,
      );
    }
    return {
      brokerUrl,
      resultBackendUrl: this.string('result-backend-url') ?? brokerUrl,
      scheduleStoreUrl: this.string('schedule-store-url') ?? brokerUrl,
    };
  }

  connectTimeoutMs(): number {
    return (
      this.integer('connect-timeout-ms', { min: 1, max: 600_000 }) ?? DEFAULT_CONNECT_TIMEOUT_MS
    );
  }

  /**
   * Checks the global settings every command may use, whether or not this one connects:
   * a bad URL or timeout is refused, never silently ignored.
   */
  validateGlobals(): void {
    this.connectTimeoutMs();
    for (const flag of ['broker-url', 'result-backend-url', 'schedule-store-url']) {
      const text = this.string(flag);
      if (text !== undefined) checkUrl(text);
    }
  }

  /** Opens the adapters for `roles` (call after every argument has been validated). */
  async connect<TRole extends AdapterRole>(roles: readonly TRole[]): Promise<Connection<TRole>> {
    const urls = this.urls();
    return openConnection(urls, roles, {
      connectTimeoutMs: this.connectTimeoutMs(),
      cwd: this.io.cwd,
    });
  }
}
