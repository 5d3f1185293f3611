/**
 * Finds the command named by the leading words of argv, then parses its flags with
 * node's `util.parseArgs` in strict mode: unknown flags, missing values and surplus
 * arguments are usage errors (with "did you mean"), never ignored.
 */
import { parseArgs } from 'node:util';
import { closestMatch } from '@stem/core';
import { usageError } from '../cli-error';
import {
  type CommandGroup,
  type CommandSpec,
  GLOBAL_OPTIONS,
  type OptionSpec,
} from './command-spec';

export type CommandEntry = CommandSpec | CommandGroup;

export type FlagValue = string | boolean | string[];

export type ParsedCommandLine =
  | { kind: 'help'; command?: CommandSpec; group?: CommandGroup }
  | {
      kind: 'run';
      command: CommandSpec;
      flags: ReadonlyMap<string, FlagValue>;
      positionals: string[];
    };

export function isGroup(entry: CommandEntry): entry is CommandGroup {
  return 'commands' in entry;
}

export function entryName(entry: CommandEntry): string {
  return isGroup(entry) ? entry.name : entry.path[0]!;
}

export function parseCommandLine(
  argv: readonly string[],
  table: readonly CommandEntry[],
): ParsedCommandLine {
  const [first, second, ...afterSecond] = argv;
  if (first === undefined || first === '--help' || first === '-h') return { kind: 'help' };
  if (first === 'help') return helpFor(argv.slice(1), table);
  const entry = findEntry(first, table, 'command');
  if (!isGroup(entry)) return parseFlags(entry, argv.slice(1));
  if (second === undefined) {
    const names = entry.commands.map((command) => command.path[1]).join(', ');
    throw usageError(
      `stem ${entry.name} needs a subcommand: ${names} (see stem ${entry.name} --help)`,
    );
  }
  if (second === '--help' || second === '-h') return { kind: 'help', group: entry };
  const command = findSubcommand(entry, second);
  return parseFlags(command, afterSecond);
}

function helpFor(words: readonly string[], table: readonly CommandEntry[]): ParsedCommandLine {
  const [first, second] = words;
  if (first === undefined) return { kind: 'help' };
  const entry = findEntry(first, table, 'command');
  if (!isGroup(entry)) return { kind: 'help', command: entry };
  if (second === undefined) return { kind: 'help', group: entry };
  return { kind: 'help', command: findSubcommand(entry, second) };
}

function findEntry(word: string, table: readonly CommandEntry[], what: string): CommandEntry {
  const entry = table.find((candidate) => entryName(candidate) === word);
  if (entry !== undefined) return entry;
  const names = table.map(entryName);
  const suggestion = closestMatch(word, names);
  const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
  const shown = word.startsWith('-')
    ? `expected a ${what} before the flag ${JSON.stringify(word)}`
    : `unknown ${what} ${JSON.stringify(word)}${hint}`;
  throw usageError(`${shown}; commands: ${names.join(', ')} (see stem --help)`);
}

function findSubcommand(group: CommandGroup, word: string): CommandSpec {
  const command = group.commands.find((candidate) => candidate.path[1] === word);
  if (command !== undefined) return command;
  const names = group.commands.map((candidate) => candidate.path[1]!);
  const suggestion = word.startsWith('-') ? undefined : closestMatch(word, names);
  const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
  throw usageError(
    `unknown subcommand "stem ${group.name} ${word}"${hint}; subcommands: ${names.join(', ')} (see stem ${group.name} --help)`,
  );
}

/** Every option of a command, global ones included. */
export function allOptions(command: CommandSpec): Record<string, OptionSpec> {
  return { ...GLOBAL_OPTIONS, ...command.options };
}

function parseFlags(command: CommandSpec, args: readonly string[]): ParsedCommandLine {
  const options = allOptions(command);
  const name = `stem ${command.path.join(' ')}`;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...args],
      options: Object.fromEntries(
        Object.entries(options).map(([flag, spec]) => [
          flag,
          {
            type: spec.type,
            ...(spec.multiple ? { multiple: true } : {}),
            ...(spec.short ? { short: spec.short } : {}),
          },
        ]),
      ),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw usageError(`${describeParseError(error, Object.keys(options))} (see ${name} --help)`);
  }
  const flags = new Map<string, FlagValue>();
  for (const [flag, value] of Object.entries(parsed.values)) {
    if (value !== undefined) flags.set(flag, value as FlagValue);
  }
  if (flags.get('help') === true) return { kind: 'help', command };
  const required = command.positionals.filter((positional) => positional.optional !== true);
  const missing = required[parsed.positionals.length];
  if (missing !== undefined) {
    throw usageError(
      `${name} needs <${missing.name}>: ${missing.description} (see ${name} --help)`,
    );
  }
  const surplus = parsed.positionals[command.positionals.length];
  if (surplus !== undefined) {
    throw usageError(
      `${name} takes no argument ${JSON.stringify(surplus)} here (see ${name} --help)`,
    );
  }
  return { kind: 'run', command, flags, positionals: parsed.positionals };
}

/** parseArgs' messages span lines and never suggest; this makes them one helpful line. */
function describeParseError(error: unknown, known: readonly string[]): string {
  const { code, message } = error as { code?: string; message?: string };
  const text = String(message ?? error);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(text)?.[1] ?? '';
    const bare = option.replace(/^-+/, '').split('=')[0] ?? '';
    const suggestion = bare === '' ? undefined : closestMatch(bare, known);
    const hint = suggestion === undefined ? '' : ` (did you mean "--${suggestion}"?)`;
    return `unknown flag ${JSON.stringify(option)}${hint}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = /'(--?[^' ]+)/.exec(text)?.[1] ?? 'a flag';
    if (text.includes('does not take an argument')) return `${option} takes no value`;
    if (text.includes('ambiguous')) {
      return `${option} needs a value; to pass one starting with "-" write ${option}=<value>`;
    }
    return `${option} needs a value`;
  }
  return text.split('\n')[0] ?? text;
}
