/**
 * How a command is declared: its words, arguments, options, help text and handler.
 * The parser, the help printer and the config loader all read these declarations,
 * so a flag exists in exactly one place.
 */
import type { CommandContext } from './command-context';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** May be given more than once (and as a comma list in env and config). */
  multiple?: boolean;
  short?: string;
  /** Placeholder shown in help, e.g. `<json>`. @default '<value>' for strings */
  value?: string;
  description: string;
  /**
   * Also read from the environment (`STEM_<NAME>`) and the config file (`camelCase` key),
   * in that order after the flag.
   */
  configurable?: boolean;
}

export interface PositionalSpec {
  name: string;
  description: string;
  /** @default false */
  optional?: boolean;
}

export interface CommandSpec {
  /** The words after `stem`, e.g. `['dlq', 'replay']`. */
  path: readonly string[];
  summary: string;
  /** Extra paragraphs for `--help`. */
  details?: string;
  positionals: readonly PositionalSpec[];
  /** Keyed by flag name (kebab-case), without the dashes. */
  options: Readonly<Record<string, OptionSpec>>;
  examples: readonly string[];
  run(context: CommandContext): Promise<number>;
}

/** A word with subcommands, e.g. `dlq`. */
export interface CommandGroup {
  name: string;
  summary: string;
  commands: readonly CommandSpec[];
}

/** Options every command takes. */
export const GLOBAL_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  config: {
    type: 'string',
    value: '<path>',
    description: 'JSON config file (default: ./stem.config.json if it exists; env STEM_CONFIG)',
  },
  'broker-url': {
    type: 'string',
    value: '<url>',
    configurable: true,
    description: 'broker URL, e.g. redis://127.0.0.1:6379?namespace=app (env STEM_BROKER_URL)',
  },
  'result-backend-url': {
    type: 'string',
    value: '<url>',
    configurable: true,
    description: 'result backend URL (env STEM_RESULT_BACKEND_URL; default: the broker URL)',
  },
  'schedule-store-url': {
    type: 'string',
    value: '<url>',
    configurable: true,
    description: 'schedule store URL (env STEM_SCHEDULE_STORE_URL; default: the broker URL)',
  },
  'connect-timeout-ms': {
    type: 'string',
    value: '<ms>',
    configurable: true,
    description: 'give up on a server that does not answer within this time (default 5000)',
  },
  json: { type: 'boolean', description: 'print JSON instead of tables (errors too)' },
  verbose: { type: 'boolean', description: 'print stack traces with errors' },
  help: { type: 'boolean', short: 'h', description: 'show help for the command' },
};

/** `broker-url` → `brokerUrl`. */
export function camelCase(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** `broker-url` → `STEM_BROKER_URL`. */
export function envName(flag: string): string {
  return `STEM_${flag.replace(/-/g, '_').toUpperCase()}`;
}
